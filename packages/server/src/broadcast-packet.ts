// A broadcast "packet": one EVENT frame encoded once, shared by every recipient (and every node).
import {
  decodeFrames,
  encodeFrame,
  encodeMessage,
  FrameFlag,
  FrameType,
  SmartSocketError,
} from '@smartsocket/protocol';
import { type SharedFrame, sharedFrame } from './shared-frame.js';

/**
 * One outgoing EVENT, encoded exactly once. This is what an {@link Adapter} broadcasts.
 *
 * - `frame` is the plain EVENT frame (no ack id, not compressed, not sealed). Recipients
 *   without compression/encryption get these very bytes (same `Uint8Array` instance), and it is
 *   also the form in which a packet crosses the cluster (`ClusterTransport.publish`):
 *   the receiving node rebuilds the packet with {@link packetFromFrame}.
 * - `data` (a view into `frame`) and `flags` are what the frame pipeline needs to re-encode the
 *   packet for another capability group (compressed, sealed, or with an ack id). Such variants
 *   are cached in `variants`, so each group is encoded once per packet, not once per socket.
 *
 * @example
 * const packet = createBroadcastPacket('/chat', 'news', { text: 'hi' });
 * adapter.broadcast(packet, { rooms: new Set(['lobby']), except: new Set(), flags: {} });
 */
export interface BroadcastPacket {
  /** Namespace name, e.g. `'/'` or `'/chat'`. */
  readonly namespace: string;
  /** Event name. */
  readonly event: string;
  /** The plain EVENT frame, encoded once. */
  readonly frame: Uint8Array;
  /** Flags of the plain frame (only `FrameFlag.BINARY` may be set). */
  readonly flags: number;
  /** The plain data section: a view into `frame`. */
  readonly data: Uint8Array;
  /** Set on a packet derived with {@link withAckId}: the ack id every recipient answers to. */
  readonly ackId?: number;
  /** Per capability-group data (e.g. the deflated section), filled lazily by the frame pipeline. */
  readonly variants: Map<string, Uint8Array>;
  /** `frame` as the shared frame every plain recipient gets (with its wire-form cache). */
  readonly shared: SharedFrame;
  /** Per capability-group encodings (e.g. `'deflate'`), filled lazily by the frame pipeline. */
  readonly groups: Map<string, SharedFrame>;
  /** Set on a positioned packet: the SEQ field of its frame (namespace position, top bit set). */
  readonly seq?: number;
  /** Set on a positioned packet: its position in the namespace's broadcast stream. */
  readonly position?: number;
  /** The positioned copy for recoverable recipients, made once when the first one gets it. */
  sequenced?: BroadcastPacket;
}

function fromFrame(frame: Uint8Array, ackId?: number): BroadcastPacket {
  const frames = decodeFrames(frame);
  const f = frames[0];
  if (frames.length !== 1 || !f || f.type !== FrameType.EVENT)
    throw new SmartSocketError('ERR_MSG_001', 'A broadcast packet is exactly one EVENT frame');
  const packet: BroadcastPacket = {
    namespace: f.namespace,
    event: f.event,
    frame,
    flags: f.flags & FrameFlag.BINARY,
    data: f.data,
    variants: new Map(),
    shared: sharedFrame(frame),
    groups: new Map(),
  };
  return ackId === undefined ? packet : { ...packet, ackId };
}

/**
 * Encodes `data` once as an EVENT of `event` in `namespace`.
 *
 * @example
 * const packet = createBroadcastPacket('/', 'tick', { n: 1 });
 */
export function createBroadcastPacket(
  namespace: string,
  event: string,
  data: unknown,
): BroadcastPacket {
  return fromFrame(encodeMessage({ type: FrameType.EVENT, namespace, event, data }));
}

/**
 * Rebuilds a packet from the plain frame bytes another node published (no re-encoding of the data).
 * Throws `SmartSocketError` `ERR_MSG_001` when the bytes are not exactly one plain EVENT frame.
 */
export function packetFromFrame(frame: Uint8Array): BroadcastPacket {
  const packet = fromFrame(frame);
  if (packet.ackId !== undefined || decodeFrames(frame)[0]!.flags & ~FrameFlag.BINARY)
    throw new SmartSocketError('ERR_MSG_001', 'A broadcast packet frame must be plain');
  return packet;
}

/**
 * The packet as recoverable sockets get it: the same EVENT carrying its namespace position
 * (`seq` = `0x80000000 | position`). Made once per packet (cached on it), so every recoverable
 * recipient still shares one frame.
 *
 * @example
 * const positioned = sequencedPacket(packet, () => nsp._nextPosition());
 */
export function sequencedPacket(packet: BroadcastPacket, next: () => number): BroadcastPacket {
  if (packet.sequenced) return packet.sequenced;
  const position = next();
  const seq = (0x8000_0000 | position) >>> 0;
  const frame = encodeFrame({
    type: FrameType.EVENT,
    namespace: packet.namespace,
    event: packet.event,
    ackId: packet.ackId,
    seq,
    flags: packet.flags,
    data: packet.data,
  });
  const f = decodeFrames(frame)[0]!;
  const positioned: BroadcastPacket = {
    namespace: packet.namespace,
    event: packet.event,
    frame,
    flags: packet.flags,
    data: f.data,
    ...(packet.ackId === undefined ? {} : { ackId: packet.ackId }),
    variants: new Map(),
    shared: sharedFrame(frame),
    groups: new Map(),
    seq,
    position,
  };
  packet.sequenced = positioned;
  return positioned;
}

/**
 * The same packet asking every recipient for an ack with id `ackId` (one copy of the frame for
 * all recipients: outgoing ack ids are unique per server, hence per connection).
 */
export function withAckId(packet: BroadcastPacket, ackId: number): BroadcastPacket {
  const frame = encodeFrame({
    type: FrameType.EVENT,
    namespace: packet.namespace,
    event: packet.event,
    ackId,
    flags: packet.flags,
    data: packet.data,
  });
  return fromFrame(frame, ackId);
}
