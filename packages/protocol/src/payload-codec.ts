// The data section: JSON, with binary values lifted out as length-prefixed attachments.
//
// Layout with the BINARY flag (see docs/PROTOCOL.md):
//   jsonLength u32 | json (UTF-8) | attachment* where attachment = length u32 | bytes
// Each binary value in the JSON is replaced by the placeholder {"__ssbin":index}.
import { SmartSocketError } from './smart-socket-error.js';
import { decodeUtf8, textEncoder } from './utf8.js';

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

/** True when `value` holds a binary value anywhere inside (arrays and plain objects). */
export function hasBinary(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return false;
  if (isBinary(value)) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasBinary(value[i], depth + 1)) return true;
    return false;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  for (const key in value) {
    if (Object.hasOwn(value, key) && hasBinary((value as Record<string, unknown>)[key], depth + 1))
      return true;
  }
  return false;
}

function toBytes(value: ArrayBufferView | ArrayBuffer): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

function liftBinary(value: unknown, out: Uint8Array[], depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) throw new SmartSocketError('ERR_MSG_001', 'Payload nested too deeply');
  if (isBinary(value)) {
    out.push(toBytes(value));
    return { [BINARY_PLACEHOLDER_KEY]: out.length - 1 };
  }
  if (Array.isArray(value)) return value.map((v) => liftBinary(v, out, depth + 1));
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    if (Object.hasOwn(value, key))
      copy[key] = liftBinary((value as Record<string, unknown>)[key], out, depth + 1);
  }
  return copy;
}

/** Serialises `value` to JSON text; `undefined` (and unserialisable roots) give `undefined`. */
export function stringifyData(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.stringify(value);
  } catch (cause) {
    throw new SmartSocketError('ERR_MSG_001', 'Payload is not serialisable to JSON', { cause });
  }
}

/**
 * Encodes a value as a data section: UTF-8 JSON, or the binary attachment layout when the
 * value contains Buffers, typed arrays or ArrayBuffers.
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
  const json = textEncoder.encode(JSON.stringify(liftBinary(value, attachments, 0)));
  let size = 4 + json.length;
  for (const a of attachments) size += 4 + a.length;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, json.length);
  bytes.set(json, 4);
  let offset = 4 + json.length;
  for (const a of attachments) {
    view.setUint32(offset, a.length);
    bytes.set(a, offset + 4);
    offset += 4 + a.length;
  }
  return { bytes, binary: true };
}

/** Parses JSON text of a data section, refusing bad JSON and prototype-polluting keys. */
export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new SmartSocketError('ERR_MSG_001', 'Invalid JSON in data section', { cause });
  }
  // JSON.parse makes "__proto__" an own property, which later merges (Object.assign, spread
  // into a target, lodash.merge) would turn into a prototype change: strip such keys here.
  if (
    typeof value === 'object' &&
    value !== null &&
    (text.includes('"__proto__"') || text.includes('"constructor"'))
  ) {
    sanitize(value, 0);
  }
  return value;
}

function sanitize(value: unknown, depth: number): void {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const v of value) sanitize(v, depth + 1);
    return;
  }
  const obj = value as Record<string, unknown>;
  if (Object.hasOwn(obj, '__proto__')) Reflect.deleteProperty(obj, '__proto__');
  const ctor = Object.hasOwn(obj, 'constructor') ? obj.constructor : undefined;
  if (typeof ctor === 'object' && ctor !== null && Object.hasOwn(ctor, 'prototype')) {
    Reflect.deleteProperty(obj, 'constructor');
  }
  for (const key of Object.keys(obj)) sanitize(obj[key], depth + 1);
}

/**
 * Decodes a data section produced by {@link encodeData}. Empty bytes give `undefined`.
 * Throws `SmartSocketError` `ERR_MSG_001` on anything malformed.
 */
export function decodeData(bytes: Uint8Array, binary: boolean): unknown {
  if (!binary) return bytes.length === 0 ? undefined : parseJson(decodeUtf8(bytes, 'data'));
  if (bytes.length < 4) throw new SmartSocketError('ERR_MSG_001', 'Binary data section too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(0);
  if (jsonLength > bytes.length - 4)
    throw new SmartSocketError('ERR_MSG_001', 'Binary data section: JSON length past the end');
  const attachments: Uint8Array[] = [];
  let offset = 4 + jsonLength;
  while (offset < bytes.length) {
    if (bytes.length - offset < 4)
      throw new SmartSocketError('ERR_MSG_001', 'Truncated attachment length');
    const length = view.getUint32(offset);
    offset += 4;
    if (length > bytes.length - offset)
      throw new SmartSocketError('ERR_MSG_001', 'Attachment length past the end');
    attachments.push(bytes.slice(offset, offset + length));
    offset += length;
  }
  const parsed = parseJson(decodeUtf8(bytes.subarray(4, 4 + jsonLength), 'data'));
  return restoreBinary(parsed, attachments, 0);
}

function restoreBinary(
  value: unknown,
  attachments: Uint8Array[],
  depth: number,
): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) throw new SmartSocketError('ERR_MSG_001', 'Payload nested too deeply');
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      value[i] = restoreBinary(value[i], attachments, depth + 1);
    return value;
  }
  const obj = value as Record<string, unknown>;
  const index = obj[BINARY_PLACEHOLDER_KEY];
  if (index !== undefined && Object.keys(obj).length === 1) {
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= attachments.length)
      throw new SmartSocketError('ERR_MSG_001', 'Binary placeholder refers to no attachment');
    return attachments[index];
  }
  for (const key of Object.keys(obj)) obj[key] = restoreBinary(obj[key], attachments, depth + 1);
  return obj;
}
