// The one send/receive path of frames: plain JSON fast path, or a codec (compress/seal) hook.
import {
  decodeFrameData,
  type EncodedData,
  encodeData,
  encodeFrame,
  encodeMessage,
  type Frame,
  FrameFlag,
  type FrameHead,
  type MessageInit,
  SmartSocketError,
  utf8Length,
} from '@smartsocket/protocol';

/** Transforms data sections on their way out and back (compression, sealing). */
export interface SectionCodec {
  /** False while the codec would leave every outgoing section unchanged (plain fast path). */
  readonly transforms: boolean;
  /**
   * Returns the wire section and the flags to add (COMPRESSED/ENCRYPTED). `head.flags` already
   * holds BINARY when the section uses attachments, so a sealer's AAD is
   * `frameAad({ ...head, flags: head.flags | addedFlags })`. `compress: false` forbids
   * compressing this section.
   */
  encode(
    head: FrameHead,
    section: EncodedData,
    compress: boolean,
  ): { data: Uint8Array; flags: number };
  /**
   * Undoes `encode` for a received frame (its `aad` is at hand): the same frame with its plain
   * section and without the COMPRESSED/ENCRYPTED flags. Throws coded errors only.
   */
  open(frame: Frame): Frame;
}

/** Encodes one outgoing frame through `codec` (or the plain fast path). */
export function encodeOutgoing(
  msg: MessageInit,
  codec: SectionCodec | undefined,
  compress = true,
): Uint8Array {
  if (!codec?.transforms) return encodeMessage(msg);
  const section = encodeData(msg.data);
  const head = { ...msg, flags: (msg.flags ?? 0) | (section.binary ? FrameFlag.BINARY : 0) };
  delete head.data;
  const { data, flags } = codec.encode(head, section, compress);
  return encodeFrame({ ...head, flags: head.flags | flags, data });
}

/**
 * A received frame with its plain data section. Without a codec, a compressed or encrypted
 * frame is `ERR_MSG_002` / `ERR_MSG_003`.
 */
export function openIncoming(frame: Frame, codec: SectionCodec | undefined): Frame {
  if (codec) return codec.open(frame);
  if (frame.flags & FrameFlag.ENCRYPTED)
    throw new SmartSocketError('ERR_MSG_003', 'Encrypted frame but encryption is off');
  if (frame.flags & FrameFlag.COMPRESSED)
    throw new SmartSocketError('ERR_MSG_002', 'Compressed frame but compression was not announced');
  return frame;
}

/** Decodes the value of a received frame through `codec`. Throws coded errors only. */
export function decodeIncoming(frame: Frame, codec: SectionCodec | undefined): unknown {
  return decodeFrameData(openIncoming(frame, codec));
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
    4;
  return frame.length - header;
}
