// Malformed input from the server never throws out of the client: coded error, reconnection.
import { encodeMessage, FrameType } from '@smartsocket/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeClient, next, startPeer } from './helpers/setup.js';

describe('bad input from the server', () => {
  it.each([
    ['garbage bytes', new Uint8Array([0xff, 0x00, 0x13])],
    ['reserved flag bits', Uint8Array.from([1, 3, 0x01, 0, 1, 47, 0, 1, 97, 0, 0, 0, 0])],
    [
      'truncated frame',
      encodeMessage({ type: FrameType.EVENT, event: 'x', data: 'hello' }).slice(0, -2),
    ],
  ])('%s: ERR_MSG_001, then a new connection', async (_name, bytes) => {
    const peer = await startPeer();
    const client = makeClient(peer.url);
    const first = peer.nextReady();
    await client.connect();
    const error = next(client, 'error');
    const again = peer.nextReady();
    (await first).sendRaw(bytes);
    expect((await error)[0].code).toBe('ERR_MSG_001');
    await again;
  });

  it('bad JSON in an EVENT is an error event; the session goes on', async () => {
    const peer = await startPeer();
    const client = makeClient(peer.url);
    const first = peer.nextReady();
    await client.connect();
    const socket = await first;
    const frame = encodeMessage({ type: FrameType.EVENT, event: 'x', data: 'abc' });
    frame[frame.length - 1] = 0x7b; // the closing quote becomes '{': invalid JSON
    const error = next(client, 'error');
    socket.sendRaw(frame);
    expect((await error)[0].code).toBe('ERR_MSG_001');
    const ok = next(client, 'ok');
    socket.emit('ok', 1);
    expect(await ok).toEqual([1]);
  });

  it('text frames and random bytes never escape as exceptions', async () => {
    const peer = await startPeer();
    const client = makeClient(peer.url, {
      reconnectDelay: 1,
      maxReconnectAttempts: Number.POSITIVE_INFINITY,
    });
    let ready = peer.nextReady();
    await client.connect();
    const valid = encodeMessage({
      type: FrameType.EVENT,
      event: 'e',
      ackId: 3,
      data: { a: [1, 'b'] },
    });
    const samples = fc.sample(
      fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
          const copy = valid.slice();
          copy[i] = b;
          return copy;
        }),
      ),
      { numRuns: 40, seed: 42 },
    );
    for (const bytes of samples) {
      const socket = await ready;
      ready = peer.nextReady();
      socket.sendRaw(bytes);
      socket.ws.send('text is not the protocol');
      socket.terminate();
    }
    const last = await ready;
    const done = next(client, 'done');
    last.emit('done', 'alive');
    expect(await done).toEqual(['alive']);
  });
});
