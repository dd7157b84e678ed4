// Frame decoder: parses one transport message into frames, checking every length first.
import {
  DEFAULT_MAX_PAYLOAD,
  FrameFlag,
  FrameType,
  isFrameType,
  PROTOCOL_VERSION,
  RESERVED_FLAG_MASK,
} from './constants.js';
import type { Frame } from './frame.js';
import { decodeData } from './payload-codec.js';
import { SmartSocketError } from './smart-socket-error.js';
import { decodeUtf8 } from './utf8.js';

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

/**
 * Decodes every frame of one transport message. Data sections are views into `bytes`
 * (nothing is copied or allocated beyond the frame objects). Throws only `SmartSocketError`:
 * `ERR_MSG_004` for a data section over `maxPayload`, `ERR_MSG_001` for anything malformed.
 *
 * @example
 * for (const frame of decodeFrames(message, { maxPayload: 1 << 20 })) handle(frame);
 */
export function decodeFrames(bytes: Uint8Array, options: DecodeOptions = {}): Frame[] {
  const maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
  if (!(bytes instanceof Uint8Array)) throw malformed('Expected binary message');
  if (bytes.length === 0) throw malformed('Empty message');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames: Frame[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const start = offset;
    const need = (n: number, what: string): void => {
      if (bytes.length - offset < n) throw malformed(`Truncated frame: ${what} past the end`);
    };
    need(5, 'header');
    const version = bytes[offset]!;
    if (version !== PROTOCOL_VERSION) throw malformed(`Unsupported protocol version ${version}`);
    const type = bytes[offset + 1]!;
    if (!isFrameType(type)) throw malformed(`Unknown frame type ${type}`);
    const flags = bytes[offset + 2]!;
    if (flags & RESERVED_FLAG_MASK) throw malformed('Reserved flag bits set');
    const nsLen = view.getUint16(offset + 3);
    offset += 5;
    need(nsLen + 2, 'namespace');
    const namespace = decodeUtf8(bytes.subarray(offset, offset + nsLen), 'namespace');
    offset += nsLen;
    const evLen = view.getUint16(offset);
    offset += 2;
    if (evLen > 0 && type !== FrameType.EVENT) throw malformed('Only EVENT frames carry an event');
    need(evLen, 'event name');
    const event = decodeUtf8(bytes.subarray(offset, offset + evLen), 'event name');
    offset += evLen;
    let ackId: number | undefined;
    if (flags & FrameFlag.ACK || type === FrameType.ACK) {
      need(4, 'ack id');
      ackId = view.getUint32(offset);
      offset += 4;
    }
    const aadEnd = offset;
    need(4, 'data length');
    const dataLen = view.getUint32(offset);
    offset += 4;
    if (dataLen > maxPayload)
      throw new SmartSocketError('ERR_MSG_004', `Data section of ${dataLen} bytes exceeds ${maxPayload}`);
    need(dataLen, 'data');
    frames.push({
      type,
      flags,
      namespace,
      event,
      ackId,
      data: bytes.subarray(offset, offset + dataLen),
      aad: bytes.subarray(start, aadEnd),
    });
    offset += dataLen;
  }
  return frames;
}

/**
 * Decodes the value of a plain data section (neither compressed nor encrypted: undo those
 * first and pass the resulting bytes as `data`).
 */
export function decodeFrameData(frame: Pick<Frame, 'flags' | 'data'>): unknown {
  if (frame.flags & (FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED))
    throw malformed('Data section is still compressed or encrypted');
  return decodeData(frame.data, (frame.flags & FrameFlag.BINARY) !== 0);
}
