// The data section: JSON, with binary values lifted out as length-prefixed attachments.
//
// Layout with the BINARY flag (see docs/PROTOCOL.md):
//   jsonLength u32 | json (UTF-8) | attachment* where attachment = length u32 | bytes
// Each binary value in the JSON is replaced by the placeholder {"__ssbin":index}.
import { readU32, writeU32 } from './byte-io.js';
import { parseJson, stringifyData } from './json-text.js';
import { SmartSocketError } from './smart-socket-error.js';
import { decodeUtf8, textEncoder } from './utf8.js';

export { parseJson, stringifyData } from './json-text.js';

/** The JSON key of a binary placeholder: `{"__ssbin": <attachment index>}`. */
export const BINARY_PLACEHOLDER_KEY = '__ssbin';

const EMPTY = new Uint8Array(0);
const MAX_DEPTH = 256;

/** A data section ready for the wire (before compression/encryption). */
export interface EncodedData {
  bytes: Uint8Array;
  /** True when the section uses the binary attachment layout (set the BINARY flag). */
  binary: boolean;
}

/** True for the binary types that travel as raw bytes. */
export function isBinary(value: unknown): value is ArrayBufferView | ArrayBuffer {
  return (
    typeof value === 'object' &&
    value !== null &&
    (ArrayBuffer.isView(value) || value instanceof ArrayBuffer)
  );
}

// Objects on the current path of a walk: a value that contains itself is a cycle, which
// would otherwise make the walk exponential (JSON.stringify then reports it as ERR_MSG_001).
const path: object[] = [];

function scan(value: object, depth: number): boolean {
  if (isBinary(value)) return true;
  if (depth > MAX_DEPTH || path.includes(value)) return false;
  path.push(value);
  let found = false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && !found; i++) {
      const v: unknown = value[i];
      found = typeof v === 'object' && v !== null && scan(v, depth + 1);
    }
  } else if (typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
    // No hasOwn filter: it halves the cost, and an inherited hit only sets the BINARY flag
    // on a section that then carries no attachment, which decodes the same.
    for (const key in value) {
      const v = (value as Record<string, unknown>)[key];
      if (typeof v === 'object' && v !== null && scan(v, depth + 1)) {
        found = true;
        break;
      }
    }
  }
  path.pop();
  return found;
}

/**
 * True when `value` holds a binary value anywhere inside (arrays and plain objects).
 *
 * @example
 * hasBinary({ file: new Uint8Array(3) }); // true
 */
export function hasBinary(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (path.length !== 0) path.length = 0; // left over if a getter threw during a walk
  return scan(value, depth);
}

function toBytes(value: ArrayBufferView | ArrayBuffer): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

function liftBinary(value: unknown, out: Uint8Array[], depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (isBinary(value)) {
    out.push(toBytes(value));
    return { [BINARY_PLACEHOLDER_KEY]: out.length - 1 };
  }
  if (depth > MAX_DEPTH) throw new SmartSocketError('ERR_MSG_001', 'Payload nested too deeply');
  if (path.includes(value)) throw new SmartSocketError('ERR_MSG_001', 'Payload contains a cycle');
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function' && !Array.isArray(value))
    return value;
  path.push(value);
  let copy: unknown;
  if (Array.isArray(value)) {
    copy = value.map((v) => liftBinary(v, out, depth + 1));
  } else {
    // A null-prototype copy: an own "__proto__" key stays a plain key, never a prototype.
    const obj: Record<string, unknown> = Object.create(null);
    for (const key in value) {
      if (Object.hasOwn(value, key))
        obj[key] = liftBinary((value as Record<string, unknown>)[key], out, depth + 1);
    }
    copy = obj;
  }
  path.pop();
  return copy;
}

/**
 * Encodes a value as a data section: UTF-8 JSON, or the binary attachment layout when the
 * value contains Buffers, typed arrays, DataViews or ArrayBuffers.
 *
 * @example
 * const { bytes, binary } = encodeData({ file: new Uint8Array([1, 2, 3]) }); // binary === true
 */
export function encodeData(value: unknown): EncodedData {
  if (!hasBinary(value)) {
    const json = stringifyData(value);
    return { bytes: json === undefined ? EMPTY : textEncoder.encode(json), binary: false };
  }
  const attachments: Uint8Array[] = [];
  if (path.length !== 0) path.length = 0;
  const json = textEncoder.encode(stringifyData(liftBinary(value, attachments, 0)));
  let size = 4 + json.length;
  for (const a of attachments) size += 4 + a.length;
  const bytes = new Uint8Array(size);
  writeU32(bytes, 0, json.length);
  bytes.set(json, 4);
  let offset = 4 + json.length;
  for (const a of attachments) {
    writeU32(bytes, offset, a.length);
    bytes.set(a, offset + 4);
    offset += 4 + a.length;
  }
  return { bytes, binary: true };
}

function invalid(message: string): SmartSocketError {
  return new SmartSocketError('ERR_MSG_001', message);
}

/**
 * Decodes a data section produced by {@link encodeData}. Empty bytes give `undefined`.
 * Attachments come back as `Uint8Array` copies. Throws `SmartSocketError` `ERR_MSG_001`.
 *
 * @example
 * decodeData(new TextEncoder().encode('{"a":1}'), false); // { a: 1 }
 */
export function decodeData(bytes: Uint8Array, binary: boolean): unknown {
  if (!binary) return bytes.length === 0 ? undefined : parseJson(decodeUtf8(bytes, 'data'));
  const length = bytes.length;
  if (length < 4) throw invalid('Binary data section too short');
  const jsonLength = readU32(bytes, 0);
  if (jsonLength > length - 4) throw invalid('Binary data section: JSON length past the end');
  // Every length is checked against what is actually there before anything is copied.
  const attachments: Uint8Array[] = [];
  let offset = 4 + jsonLength;
  while (offset < length) {
    if (length - offset < 4) throw invalid('Truncated attachment length');
    const size = readU32(bytes, offset);
    offset += 4;
    if (size > length - offset) throw invalid('Attachment length past the end');
    // A copy into a plain Uint8Array: on Node, `Buffer#slice` would return a view instead.
    const copy = new Uint8Array(size);
    copy.set(bytes.subarray(offset, offset + size));
    attachments.push(copy);
    offset += size;
  }
  if (jsonLength === 0) throw invalid('Binary data section without JSON');
  const parsed = parseJson(decodeUtf8(bytes.subarray(4, 4 + jsonLength), 'data'));
  return restoreBinary(parsed, attachments, 0);
}

function restoreBinary(value: unknown, attachments: Uint8Array[], depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) throw invalid('Payload nested too deeply');
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      value[i] = restoreBinary(value[i], attachments, depth + 1);
    return value;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === BINARY_PLACEHOLDER_KEY) {
    const index = obj[BINARY_PLACEHOLDER_KEY];
    if (
      typeof index !== 'number' ||
      !Number.isInteger(index) ||
      index < 0 ||
      index >= attachments.length
    )
      throw invalid('Binary placeholder refers to no attachment');
    return attachments[index];
  }
  for (const key of keys) obj[key] = restoreBinary(obj[key], attachments, depth + 1);
  return obj;
}
