// Frame-level sealing: the header is authenticated, so a sealed section cannot be moved elsewhere.
import {
  decodeFrames,
  encodeFrame,
  FrameFlag,
  type FrameHead,
  FrameType,
} from '@smartsocket/protocol';
import { describe, expect, it } from 'vitest';
import { generateKey, openFrame, parseKey, sealFrame } from '../src/index.js';
import { codeOf } from './helpers.js';

const key = parseKey(generateKey());
const section = new TextEncoder().encode('{"text":"secret"}');
const head: FrameHead = { type: FrameType.EVENT, namespace: '/chat', event: 'message', ackId: 7 };

function only(bytes: Uint8Array) {
  const [frame] = decodeFrames(bytes, { maxPayload: 1 << 20 });
  if (!frame) throw new Error('no frame');
  return frame;
}

/** Re-frames the sealed data section of `bytes` under another header, as an attacker could. */
function moved(bytes: Uint8Array, other: FrameHead): Uint8Array {
  const frame = only(bytes);
  return encodeFrame({ ...other, flags: frame.flags, data: frame.data.slice() });
}

describe('sealFrame / openFrame', () => {
  it('round-trips and sets the ENCRYPTED flag', () => {
    const frame = only(sealFrame(key, head, section));
    expect(frame.flags & FrameFlag.ENCRYPTED).toBe(FrameFlag.ENCRYPTED);
    expect(frame.event).toBe('message');
    expect(new TextDecoder().decode(openFrame(key, frame))).toBe('{"text":"secret"}');
  });

  it('keeps the COMPRESSED flag it was given', () => {
    const frame = only(sealFrame(key, { ...head, flags: FrameFlag.COMPRESSED }, section));
    expect(frame.flags & FrameFlag.COMPRESSED).toBe(FrameFlag.COMPRESSED);
    expect(openFrame(key, frame).length).toBe(section.length);
  });

  it.each([
    ['another event', { ...head, event: 'admin' }],
    ['another namespace', { ...head, namespace: '/admin' }],
    ['another ack id', { ...head, ackId: 8 }],
    ['no ack requested', { type: FrameType.EVENT, namespace: '/chat', event: 'message' }],
    ['an ACK frame', { type: FrameType.ACK, namespace: '/chat', ackId: 7 }],
  ] as const)('rejects a section moved to %s with ERR_MSG_003', async (_name, other) => {
    const bytes = moved(sealFrame(key, head, section), other);
    expect(await codeOf(() => openFrame(key, only(bytes)))).toBe('ERR_MSG_003');
  });

  it('rejects a section whose COMPRESSED flag was flipped', async () => {
    const frame = only(sealFrame(key, head, section));
    const bytes = encodeFrame({
      ...head,
      flags: frame.flags | FrameFlag.COMPRESSED,
      data: frame.data.slice(),
    });
    expect(await codeOf(() => openFrame(key, only(bytes)))).toBe('ERR_MSG_003');
  });

  it('rejects a frame without the ENCRYPTED flag', async () => {
    const plainFrame = only(encodeFrame({ ...head, data: section }));
    expect(await codeOf(() => openFrame(key, plainFrame))).toBe('ERR_MSG_003');
  });

  it('puts no plaintext on the wire', () => {
    expect(Buffer.from(sealFrame(key, head, section)).includes(Buffer.from('secret'))).toBe(false);
  });
});
