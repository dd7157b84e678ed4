// Frame decoder: parses one transport message into frames, checking every length before use.

import { readU16, readU32 } from './byte-io.js';
import {
  DEFAULT_MAX_PAYLOAD,
  FrameFlag,
  FrameType,
  PROTOCOL_VERSION,
  RESERVED_FLAG_MASK,
} from './constants.js';
import type { Frame } from './frame.js';
import { decodeData } from './payload-codec.js';
import { SmartSocketError } from './smart-socket-error.js';
import { readUtf8 } from './utf8.js';

/** Limits applied while decoding. */
export interface DecodeOptions {
  /**
   * Largest data section accepted, in bytes.
   * @default 16777216 (16 MiB)
   */
  maxPayload?: number;
}

function malformed(message: string): SmartSocketError {
  return new SmartSocketError('ERR_MSG_001', message);
}

function truncated(what: string): SmartSocketError {
  return malformed(`Truncated frame: ${what} past the end`);
}

/**
 * Decodes every frame of one transport message. Data sections are views into `bytes`
 * (nothing is copied or allocated beyond the frame objects and their names). Throws only
 * `SmartSocketError`: `ERR_MSG_004` for a data section over `maxPayload` (checked on the
 * declared length, before anything else is read), `ERR_MSG_001` for anything malformed.
 *
 * @example
 * for (const frame of decodeFrames(message, { maxPayload: 1 << 20 })) handle(frame);
 */
export function decodeFrames(bytes: Uint8Array, options: DecodeOptions = {}): Frame[] {
  const maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
  if (!(bytes instanceof Uint8Array)) throw malformed('Expected binary message');
  const length = bytes.length;
  if (length === 0) throw malformed('Empty message');
  const frames: Frame[] = [];
  let o = 0;
  while (o < length) {
    const start = o;
    if (length - o < 7) throw truncated('header');
    const version = bytes[o]!;
    if (version !== PROTOCOL_VERSION) throw malformed(`Unsupported protocol version ${version}`);
    const type = bytes[o + 1]!;
    if (type < FrameType.CONNECT || type > FrameType.HEARTBEAT_ACK)
      throw malformed(`Unknown frame type ${type}`);
    const flags = bytes[o + 2]!;
    if (flags & RESERVED_FLAG_MASK) throw malformed('Reserved flag bits set');
    const nsLen = readU16(bytes, o + 3);
    o += 5;
    // nsLen bytes of namespace, then at least the 2-byte evLen.
    if (length - o < nsLen + 2) throw truncated('namespace');
    const namespace = readUtf8(bytes, o, o + nsLen, 'namespace');
    o += nsLen;
    const evLen = readU16(bytes, o);
    o += 2;
    if (evLen > 0 && type !== FrameType.EVENT) throw malformed('Only EVENT frames carry an event');
    if (length - o < evLen) throw truncated('event name');
    const event = readUtf8(bytes, o, o + evLen, 'event name');
    o += evLen;
    let ackId: number | undefined;
    if (flags & FrameFlag.ACK || type === FrameType.ACK) {
      if (length - o < 4) throw truncated('ack id');
      ackId = readU32(bytes, o);
      o += 4;
    }
    let seq: number | undefined;
    if (flags & FrameFlag.SEQ) {
      if (length - o < 4) throw truncated('sequence number');
      seq = readU32(bytes, o);
      o += 4;
    }
    const aadEnd = o;
    if (length - o < 4) throw truncated('data length');
    const dataLen = readU32(bytes, o);
    o += 4;
    if (dataLen > maxPayload)
      throw new SmartSocketError(
        'ERR_MSG_004',
        `Data section of ${dataLen} bytes exceeds ${maxPayload}`,
      );
    if (length - o < dataLen) throw truncated('data');
    const frame: Frame = {
      type: type as FrameType,
      flags,
      namespace,
      event,
      ackId,
      ...(seq === undefined ? {} : { seq }),
      data: bytes.subarray(o, o + dataLen),
      aad: bytes.subarray(start, aadEnd),
    };
    o += dataLen;
    // Most messages hold one frame: return an exact one-element array.
    if (start === 0 && o === length) return [frame];
    frames.push(frame);
  }
  return frames;
}

/**
 * Decodes the value of a plain data section (neither compressed nor encrypted: undo those
 * first and pass the resulting bytes as `data`). Throws `SmartSocketError` `ERR_MSG_001`.
 *
 * @example
 * const value = decodeFrameData(decodeFrames(message)[0]!);
 */
export function decodeFrameData(frame: Pick<Frame, 'flags' | 'data'>): unknown {
  if (frame.flags & (FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED))
    throw malformed('Data section is still compressed or encrypted');
  return decodeData(frame.data, (frame.flags & FrameFlag.BINARY) !== 0);
}
