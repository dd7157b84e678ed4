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

/**
 * Transforms data sections on their way out and back (compression, sealing). The client has
 * none yet; compression and encryption plug in here without touching the session code.
 */
export interface SectionCodec {
  /**
   * Returns the wire section and the flags to add (COMPRESSED/ENCRYPTED). `head.flags` already
   * holds BINARY when the section uses attachments, so a sealer's AAD is
   * `frameAad({ ...head, flags: head.flags | addedFlags })`.
   */
  encode(head: FrameHead, section: EncodedData): { data: Uint8Array; flags: number };
  /** Undoes `encode` for a received frame (its `aad` is at hand); returns the plain section. */
  decode(frame: Frame): Uint8Array;
}

/** Encodes one outgoing frame through `codec` (or the plain fast path). */
export function encodeOutgoing(msg: MessageInit, codec: SectionCodec | undefined): Uint8Array {
  if (!codec) return encodeMessage(msg);
  const section = encodeData(msg.data);
  const head = { ...msg, flags: (msg.flags ?? 0) | (section.binary ? FrameFlag.BINARY : 0) };
  delete head.data;
  const { data, flags } = codec.encode(head, section);
  return encodeFrame({ ...head, flags: head.flags | flags, data });
}

/** Decodes the value of a received frame through `codec`. Throws coded errors only. */
export function decodeIncoming(frame: Frame, codec: SectionCodec | undefined): unknown {
  if (frame.flags & (FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED)) {
    if (!codec) {
      throw frame.flags & FrameFlag.ENCRYPTED
        ? new SmartSocketError('ERR_MSG_003', 'Encrypted frame but encryption is off')
        : new SmartSocketError('ERR_MSG_002', 'Compressed frame but compression was not announced');
    }
    const plain = codec.decode(frame);
    return decodeFrameData({ flags: frame.flags & FrameFlag.BINARY, data: plain });
  }
  return decodeFrameData(frame);
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
