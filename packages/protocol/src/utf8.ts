// Shared UTF-8 helpers: one encoder, one strict decoder that reports bad bytes as ERR_MSG_001.
import { SmartSocketError } from './smart-socket-error.js';

export const textEncoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 strictly; invalid sequences are `ERR_MSG_001`. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  if (bytes.length === 0) return '';
  try {
    return strictDecoder.decode(bytes);
  } catch (cause) {
    throw new SmartSocketError('ERR_MSG_001', `Invalid UTF-8 in ${what}`, { cause });
  }
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
