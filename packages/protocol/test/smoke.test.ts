import { describe, expect, it } from 'vitest';
import { decodeFrameData, decodeFrames, encodeMessage, FrameType } from '../src/index.js';

describe('smoke', () => {
  it('round trips an event', () => {
    const bytes = encodeMessage({ type: FrameType.EVENT, namespace: '/chat', event: 'chat', data: { type: 'chat', text: 'Hello' } });
    console.log(Buffer.from(bytes).toString('hex'));
    const [f] = decodeFrames(bytes);
    expect(f!.event).toBe('chat');
    expect(decodeFrameData(f!)).toEqual({ type: 'chat', text: 'Hello' });
    const b = encodeMessage({ type: FrameType.EVENT, event: 'bin', ackId: 7, data: { a: [1, new Uint8Array([9, 8])] } });
    const [g] = decodeFrames(b);
    expect(g!.ackId).toBe(7);
    expect(decodeFrameData(g!)).toEqual({ a: [1, new Uint8Array([9, 8])] });
  });
});
