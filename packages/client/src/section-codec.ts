// The one send/receive path of frames: plain JSON fast path, or a codec (compress/seal) hook.
import {
  decodeFrameData,
  type EncodedData,
  encodeFrame,
  encodeMessage,
  type Frame,
  FrameFlag,
  type FrameHead,
  FrameType,
  type MessageInit,
  SmartSocketError,
  utf8Length,
} from '@smartsocket/protocol';

/** Transforms data sections on their way out and back (compression, sealing). */
export interface SectionCodec {
  /** False while the codec would leave every outgoing section unchanged (plain fast path). */
  readonly transforms: boolean;
  /** Frames of at most this many bytes are sent as they are (too small to compress, no key). */
  readonly passThrough: number;
  /**
   * Returns the wire section and the flags to add (COMPRESSED/ENCRYPTED), or undefined to send
   * the plain frame as it is; a promise of that when compressing is asynchronous. `head.flags` already holds BINARY when the section uses
   * attachments, so a sealer's AAD is `frameAad({ ...head, flags: head.flags | addedFlags })`.
   * `compress: false` forbids compressing this section.
   */
  encode(
    head: FrameHead,
    section: EncodedData,
    compress: boolean,
  ):
    | { data: Uint8Array; flags: number }
    | undefined
    | Promise<{ data: Uint8Array; flags: number } | undefined>;
  /**
   * Undoes `encode` for a received frame (its `aad` is at hand): the same frame with its plain
   * section and without the COMPRESSED/ENCRYPTED flags (a promise of it when inflating is
   * asynchronous). Throws, or rejects with, coded errors only.
   */
  open(frame: Frame): Frame | Promise<Frame>;
}

/** Offset of the flags byte in an encoded frame (after version and type). */
const FLAGS_OFFSET = 2;

/**
 * Encodes one outgoing frame through `codec`. The plain frame is encoded first (the pooled fast
 * path of every small emit); only when the codec transforms its data section (a section over
 * the compression threshold, or sealing) is the frame rebuilt around the new section. A promise
 * when the codec compresses asynchronously (the caller keeps such frames in order).
 */
export function encodeOutgoing(
  msg: MessageInit,
  codec: SectionCodec | undefined,
  compress = true,
): Uint8Array | Promise<Uint8Array> {
  const plain = encodeMessage(msg);
  if (!codec?.transforms || plain.length <= codec.passThrough) return plain;
  const binary = (plain[FLAGS_OFFSET]! & FrameFlag.BINARY) !== 0;
  const head: FrameHead = {
    type: msg.type,
    namespace: msg.namespace,
    // Only EVENT frames carry a name (the encoder drops it on others).
    event: msg.type === FrameType.EVENT ? msg.event : undefined,
    ackId: msg.ackId,
    ...(msg.seq === undefined ? {} : { seq: msg.seq }),
    flags: (msg.flags ?? 0) | (binary ? FrameFlag.BINARY : 0),
  };
  const bytes = plain.subarray(plain.length - dataSectionLength(plain, head));
  const rebuild = (out: { data: Uint8Array; flags: number } | undefined): Uint8Array =>
    out ? encodeFrame({ ...head, flags: head.flags! | out.flags, data: out.data }) : plain;
  const out = codec.encode(head, { bytes, binary }, compress);
  return out instanceof Promise ? out.then(rebuild) : rebuild(out);
}

/**
 * A received frame with its plain data section. Without a codec, a compressed or encrypted
 * frame is `ERR_MSG_002` / `ERR_MSG_003`. A promise when the codec inflates asynchronously.
 */
export function openIncoming(
  frame: Frame,
  codec: SectionCodec | undefined,
): Frame | Promise<Frame> {
  if (codec) return codec.open(frame);
  if (frame.flags & FrameFlag.ENCRYPTED)
    throw new SmartSocketError('ERR_MSG_003', 'Encrypted frame but encryption is off');
  if (frame.flags & FrameFlag.COMPRESSED)
    throw new SmartSocketError('ERR_MSG_002', 'Compressed frame but compression was not announced');
  return frame;
}

/** Decodes the value of a received frame through `codec` (a promise when it inflates asynchronously). */
export function decodeIncoming(frame: Frame, codec: SectionCodec | undefined): unknown {
  const opened = openIncoming(frame, codec);
  return opened instanceof Promise ? opened.then(decodeFrameData) : decodeFrameData(opened);
}

/** Length of the data section of an encoded frame (the part `maxPayload` bounds). */
export function dataSectionLength(frame: Uint8Array, head: FrameHead): number {
  const header =
    3 +
    2 +
    utf8Length(head.namespace ?? '/') +
    2 +
    utf8Length(head.event ?? '') +
    (head.ackId === undefined ? 0 : 4) +
    (head.seq === undefined ? 0 : 4) +
    4;
  return frame.length - header;
}
