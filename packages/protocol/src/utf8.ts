// Shared UTF-8 helpers: one encoder, one strict decoder that reports bad bytes as ERR_MSG_001,
// and ASCII fast paths for the short names (namespace, event) every frame carries.
import { SmartSocketError } from './smart-socket-error.js';

export const textEncoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Names up to this many bytes/chars take the hand-written ASCII path (cheaper than the codecs). */
const SHORT_NAME = 64;

/** Decodes UTF-8 strictly; invalid sequences are `ERR_MSG_001`. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  if (bytes.length === 0) return '';
  try {
    return strictDecoder.decode(bytes);
  } catch (cause) {
    throw new SmartSocketError('ERR_MSG_001', `Invalid UTF-8 in ${what}`, { cause });
  }
}

/** Decodes `bytes[start, end)` strictly, with a fast path for short ASCII names. */
export function readUtf8(bytes: Uint8Array, start: number, end: number, what: string): string {
  const n = end - start;
  if (n === 0) return '';
  if (n <= 8) {
    // One fromCharCode call for typical names ("/", "/chat", "message") instead of n concats.
    const b = bytes;
    const s = start;
    if (isAscii(b, s, end)) {
      switch (n) {
        case 1:
          return String.fromCharCode(b[s]!);
        case 2:
          return String.fromCharCode(b[s]!, b[s + 1]!);
        case 3:
          return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!);
        case 4:
          return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
        case 5:
          return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
        case 6:
          return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
        case 7:
          return String.fromCharCode(
            b[s]!,
            b[s + 1]!,
            b[s + 2]!,
            b[s + 3]!,
            b[s + 4]!,
            b[s + 5]!,
            b[s + 6]!,
          );
        default:
          return String.fromCharCode(
            b[s]!,
            b[s + 1]!,
            b[s + 2]!,
            b[s + 3]!,
            b[s + 4]!,
            b[s + 5]!,
            b[s + 6]!,
            b[s + 7]!,
          );
      }
    }
  }
  if (n <= SHORT_NAME) {
    let out = '';
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c >= 0x80) return decodeUtf8(bytes.subarray(start, end), what);
      out += String.fromCharCode(c);
    }
    return out;
  }
  return decodeUtf8(bytes.subarray(start, end), what);
}

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

/**
 * Writes `s` as UTF-8 at `offset` and returns the byte count. The caller guarantees room for
 * `3 * s.length` bytes (the UTF-8 worst case of a UTF-16 string).
 */
export function writeUtf8(s: string, buf: Uint8Array, offset: number): number {
  const n = s.length;
  if (n <= SHORT_NAME) {
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      buf[offset + i] = c;
    }
    if (i === n) return n;
  }
  return textEncoder.encodeInto(s, buf.subarray(offset)).written;
}

/** UTF-8 encoded length of `s` without allocating. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}
