// The binary envelope of cluster bus messages: a fixed header, a data-codec body and raw frame bytes.
import { decodeData, encodeData, SmartSocketError } from '@smartsocket/protocol';
import type { BroadcastFlags, BroadcastOptions, Room } from './adapter.js';

/** Kinds of cluster messages. Requests go to every node, responses to the requesting node. */
export const MessageType = {
  HELLO: 1,
  HEARTBEAT: 2,
  BYE: 3,
  BROADCAST: 4,
  SOCKETS_JOIN: 5,
  SOCKETS_LEAVE: 6,
  DISCONNECT_SOCKETS: 7,
  FETCH_SOCKETS: 8,
  SERVER_SIDE_EMIT: 9,
  FETCH_SOCKETS_RESPONSE: 10,
  SERVER_SIDE_EMIT_RESPONSE: 11,
  BROADCAST_COUNT: 12,
  BROADCAST_ACK: 13,
  /** A polling request forwarded to the node that owns its session. */
  POLL_REQUEST: 14,
  /** The owner's answer to a forwarded polling request: status, content type, body bytes. */
  POLL_RESPONSE: 15,
  /** The forwarding node's client went away: the owner releases the held GET. */
  POLL_CANCEL: 16,
} as const;

/** One of the values of {@link MessageType}. */
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** A decoded cluster message. */
export interface Envelope {
  type: MessageType;
  /** Sender node id, 16 hex digits. */
  node: string;
  /** Request id (1…2³²−1), 0 when the message is not a request or response. */
  requestId: number;
  /** The body (JSON with binary attachments, see `encodeData`), `undefined` when empty. */
  body: unknown;
  /** Raw bytes after the body: the plain EVENT frame of a broadcast (a view, not a copy). */
  tail: Uint8Array;
}

/** Broadcast options as they cross the bus (`local` never does). */
export interface WireOptions {
  r: Room[];
  e: Room[];
  /** 1 when volatile. */
  v?: 1;
  /** 0 when compression is off for this broadcast. */
  c?: 0;
  /** The ack timeout (ms) of a broadcast with acks, so remote nodes can bound their waiting too. */
  t?: number;
}

/**
 * The node id the emitter (`@smartsocket/redis-adapter`'s `createRedisEmitter`) sends from: its
 * broadcasts are delivered, but it is not a node (never counted, never waited for).
 *
 * @example
 * encodeEnvelope(MessageType.BROADCAST, EMITTER_NODE_ID, 0, { o: encodeOptions(opts) }, frame);
 */
export const EMITTER_NODE_ID = new Uint8Array(8);
/** {@link EMITTER_NODE_ID} as the hex string of `Envelope.node`. */
export const EMITTER_NODE = '0000000000000000';

const VERSION = 1;
const FLAG_BINARY = 0x01;
const NODE_BYTES = 8;
// version u8 · type u8 · flags u8 · node id (8 bytes) · request id u32 · body length u32
const HEADER = 3 + NODE_BYTES + 4 + 4;

/**
 * Encodes one message: `version · type · flags · nodeId[8] · requestId u32 · bodyLen u32 · body ·
 * tail`, big-endian. The body goes through the protocol's data codec (so binary values in acks
 * and `serverSideEmit` arguments survive); the tail is copied as is, never re-encoded.
 */
export function encodeEnvelope(
  type: MessageType,
  nodeId: Uint8Array,
  requestId: number,
  body: unknown,
  tail?: Uint8Array,
): Uint8Array {
  const data = body === undefined ? undefined : encodeData(body);
  const bodyLength = data?.bytes.length ?? 0;
  const out = new Uint8Array(HEADER + bodyLength + (tail?.length ?? 0));
  const view = new DataView(out.buffer);
  out[0] = VERSION;
  out[1] = type;
  out[2] = data?.binary ? FLAG_BINARY : 0;
  out.set(nodeId, 3);
  view.setUint32(3 + NODE_BYTES, requestId);
  view.setUint32(7 + NODE_BYTES, bodyLength);
  if (data) out.set(data.bytes, HEADER);
  if (tail) out.set(tail, HEADER + bodyLength);
  return out;
}

/** Decodes one message; throws `SmartSocketError` `ERR_MSG_001` when it is malformed. */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  if (bytes.length < HEADER || bytes[0] !== VERSION)
    throw new SmartSocketError('ERR_MSG_001', 'Bad cluster message header');
  const type = bytes[1] as MessageType;
  if (type < MessageType.HELLO || type > MessageType.POLL_CANCEL)
    throw new SmartSocketError('ERR_MSG_001', 'Unknown cluster message type');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bodyLength = view.getUint32(7 + NODE_BYTES);
  if (bodyLength > bytes.length - HEADER)
    throw new SmartSocketError('ERR_MSG_001', 'Cluster message body past the end');
  let node = '';
  for (let i = 3; i < 3 + NODE_BYTES; i++)
    node += (bytes[i] as number).toString(16).padStart(2, '0');
  const body =
    bodyLength === 0
      ? undefined
      : decodeData(
          bytes.subarray(HEADER, HEADER + bodyLength),
          ((bytes[2] as number) & FLAG_BINARY) !== 0,
        );
  return {
    type,
    node,
    requestId: view.getUint32(3 + NODE_BYTES),
    body,
    tail: bytes.subarray(HEADER + bodyLength),
  };
}

/** The wire form of broadcast options. */
export function encodeOptions(opts: BroadcastOptions): WireOptions {
  const out: WireOptions = { r: [...opts.rooms], e: [...(opts.except ?? [])] };
  if (opts.flags?.volatile) out.v = 1;
  if (opts.flags?.compress === false) out.c = 0;
  if (opts.flags?.timeout !== undefined) out.t = opts.flags.timeout;
  return out;
}

/**
 * Broadcast options from their wire form. Throws `ERR_MSG_001` when the room lists are missing
 * (empty `rooms` means "every socket", so a damaged message must not default to it).
 */
export function decodeOptions(wire: WireOptions | undefined): BroadcastOptions {
  const rooms = (v: unknown): Set<Room> => {
    if (!Array.isArray(v) || !v.every((r) => typeof r === 'string'))
      throw new SmartSocketError('ERR_MSG_001', 'Bad broadcast options in a cluster message');
    return new Set(v);
  };
  const flags: BroadcastFlags = {};
  if (wire?.v === 1) flags.volatile = true;
  if (wire?.c === 0) flags.compress = false;
  if (typeof wire?.t === 'number' && wire.t > 0) flags.timeout = wire.t;
  return { rooms: rooms(wire?.r), except: rooms(wire?.e), flags };
}
