// Frame encoder: writes protocol v1 frames with one allocation (or none: small frames share a slab).

import { writeU16, writeU32 } from './byte-io.js';
import { FrameFlag, FrameType, MAX_ACK_ID, MAX_NAME_BYTES, PROTOCOL_VERSION } from './constants.js';
import type { FrameInit } from './frame.js';
import {
  commitPooled,
  POOLED_MAX,
  pooledSlab,
  reservePooled,
  SCRATCH_MAX,
  scratchOf,
} from './output-pool.js';
import { encodeData, hasBinary, stringifyData } from './payload-codec.js';
import { SmartSocketError } from './smart-socket-error.js';
import { textEncoder, utf8Length, writeUtf8 } from './utf8.js';

/** Everything of a frame but its data section. */
export type FrameHead = Omit<FrameInit, 'data'>;

const EMPTY = new Uint8Array(0);
/** Fixed header bytes: version, type, flags, nsLen, evLen. */
const FIXED = 7;

/** The ack id to write, or -1 for none; validates it. */
function ackIdOf(frame: FrameHead): number {
  const { ackId } = frame;
  if (ackId === undefined) {
    if (frame.type === FrameType.ACK)
      throw new SmartSocketError('ERR_ACK_002', 'An ACK frame needs an ackId');
    return -1;
  }
  if (!Number.isInteger(ackId) || ackId < 0 || ackId > MAX_ACK_ID)
    throw new SmartSocketError('ERR_ACK_002', `Ack id must be a u32, got ${ackId}`);
  return ackId;
}

/** The sequence number to write, or -1 for none; validates it. */
function seqOf(frame: FrameHead): number {
  const { seq } = frame;
  if (seq === undefined) return -1;
  if (!Number.isInteger(seq) || seq < 0 || seq > MAX_ACK_ID)
    throw new SmartSocketError('ERR_MSG_001', `Sequence number must be a u32, got ${seq}`);
  return seq;
}

/** COMPRESSED/ENCRYPTED/BINARY pass through as given; ACK and SEQ follow `ackId` and `seq`. */
function flagsOf(frame: FrameHead, ackId: number): number {
  let flags = (frame.flags ?? 0) & (FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED | FrameFlag.BINARY);
  if (ackId >= 0 && frame.type !== FrameType.ACK) flags |= FrameFlag.ACK;
  if (frame.seq !== undefined) flags |= FrameFlag.SEQ;
  return flags;
}

function eventOf(frame: FrameHead): string {
  return frame.type === FrameType.EVENT ? (frame.event ?? '') : '';
}

/**
 * Writes the header from `version` through the ack id and sequence number at `o`; returns the
 * offset after it. `buf` must have room for the worst case: FIXED + 3 × name lengths + 8.
 */
function writeHeader(
  buf: Uint8Array,
  o: number,
  type: number,
  flags: number,
  namespace: string,
  event: string,
  ackId: number,
  seq = -1,
): number {
  buf[o] = PROTOCOL_VERSION;
  buf[o + 1] = type;
  buf[o + 2] = flags;
  const nsLen = writeUtf8(namespace, buf, o + 5);
  if (nsLen > MAX_NAME_BYTES) throw new SmartSocketError('ERR_MSG_001', 'Namespace too long');
  writeU16(buf, o + 3, nsLen);
  o += 5 + nsLen;
  const evLen = event.length === 0 ? 0 : writeUtf8(event, buf, o + 2);
  if (evLen > MAX_NAME_BYTES) throw new SmartSocketError('ERR_MSG_001', 'Event name too long');
  writeU16(buf, o, evLen);
  o += 2 + evLen;
  if (ackId >= 0) {
    writeU32(buf, o, ackId);
    o += 4;
  }
  if (seq >= 0) {
    writeU32(buf, o, seq);
    o += 4;
  }
  return o;
}

/** Exact header length (through the ack id and sequence number) of a frame. */
function headerLength(namespace: string, event: string, ackId: number, seq = -1): number {
  return (
    FIXED + utf8Length(namespace) + utf8Length(event) + (ackId >= 0 ? 4 : 0) + (seq >= 0 ? 4 : 0)
  );
}

/**
 * Encodes one frame whose data section is already bytes (possibly compressed or sealed).
 * The result may be a view into a shared slab (see `byteOffset`); it is never reused.
 *
 * @example
 * encodeFrame({ type: FrameType.HEARTBEAT }); // 01 06 00 0001 2f 0000 00000000
 */
export function encodeFrame(frame: FrameInit): Uint8Array {
  const data = frame.data ?? EMPTY;
  const namespace = frame.namespace ?? '/';
  const event = eventOf(frame);
  const ackId = ackIdOf(frame);
  const seq = seqOf(frame);
  const size = headerLength(namespace, event, ackId, seq) + 4 + data.length;
  const pooled = size <= POOLED_MAX;
  const start = pooled ? reservePooled(size) : 0;
  const buf = pooled ? pooledSlab() : new Uint8Array(size);
  const flags = flagsOf(frame, ackId);
  const o = writeHeader(buf, start, frame.type, flags, namespace, event, ackId, seq);
  writeU32(buf, o, data.length);
  buf.set(data, o + 4);
  return pooled ? commitPooled(start, start + size) : buf;
}

/**
 * The additional authenticated data of a frame: its header without `dataLen`. A sealed data
 * section is bound to exactly this (type, flags with ENCRYPTED set, namespace, event, ack id).
 *
 * @example
 * const aad = frameAad({ type: FrameType.EVENT, event: 'chat', flags: FrameFlag.ENCRYPTED });
 */
export function frameAad(frame: FrameHead): Uint8Array {
  const namespace = frame.namespace ?? '/';
  const event = eventOf(frame);
  const ackId = ackIdOf(frame);
  const seq = seqOf(frame);
  const buf = new Uint8Array(headerLength(namespace, event, ackId, seq));
  writeHeader(buf, 0, frame.type, flagsOf(frame, ackId), namespace, event, ackId, seq);
  return buf;
}

/** A value-level message: what `encodeMessage` turns into one frame. */
export interface MessageInit extends FrameHead {
  /** Any JSON-serialisable value, with binary values anywhere inside. */
  data?: unknown;
}

/**
 * Encodes a value-level message (JSON or binary attachments, no compression or encryption)
 * into one frame. The BINARY flag is set when, and only when, the value holds binary. The
 * hot path of every plain emit: a small event is written straight into the shared slab.
 *
 * @example
 * encodeMessage({ type: FrameType.EVENT, namespace: '/chat', event: 'chat', data: { text: 'hi' } });
 */
export function encodeMessage(msg: MessageInit): Uint8Array {
  const value = msg.data;
  if (typeof value === 'object' && value !== null && hasBinary(value)) {
    const { bytes } = encodeData(value);
    return encodeFrame({ ...msg, flags: (msg.flags ?? 0) | FrameFlag.BINARY, data: bytes });
  }
  const json = stringifyData(value);
  const namespace = msg.namespace ?? '/';
  const event = eventOf(msg);
  const ackId = ackIdOf(msg);
  const seq = seqOf(msg);
  const flags = flagsOf(msg, ackId) & ~FrameFlag.BINARY;
  const jsonLength = json === undefined ? 0 : json.length;
  // Worst case: every UTF-16 unit becomes 3 UTF-8 bytes.
  const bound = FIXED + 3 * (namespace.length + event.length + jsonLength) + 12;
  if (bound > SCRATCH_MAX) {
    const data = json === undefined ? EMPTY : textEncoder.encode(json);
    return encodeFrame({ ...msg, flags, data });
  }
  const pooled = bound <= POOLED_MAX;
  const start = pooled ? reservePooled(bound) : 0;
  const buf = pooled ? pooledSlab() : scratchOf(bound);
  const o = writeHeader(buf, start, msg.type, flags, namespace, event, ackId, seq);
  // encodeInto straight behind the header (measured: cheaper than encoding into a scratch and
  // copying, even for a ~100-byte section).
  const dataLen =
    json === undefined ? 0 : textEncoder.encodeInto(json, buf.subarray(o + 4)).written;
  writeU32(buf, o, dataLen);
  const end = o + 4 + dataLen;
  // The scratch is reused by the next call, so a large frame is copied out of it.
  return pooled ? commitPooled(start, end) : buf.slice(0, end);
}

/** Joins several encoded frames into one transport message (frames travel back to back). */
export function concatFrames(frames: readonly Uint8Array[]): Uint8Array {
  if (frames.length === 1) return frames[0]!;
  let size = 0;
  for (const f of frames) size += f.length;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const f of frames) {
    out.set(f, offset);
    offset += f.length;
  }
  return out;
}
