// Malformed input from the server never throws out of the client: coded error, reconnection.
import { encodeMessage, FrameFlag, FrameType, MAX_HEARTBEAT_DATA } from '@smartsocket/protocol';
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

describe('heartbeats from the server: at most 128 bytes, never compressed or binary', () => {
  it.each([
    ['compressed (1 MiB of spaces, deflated)', 'compressed'],
    ['binary', 'binary'],
    ['129 bytes', 'oversized'],
  ] as const)('%s: ERR_MSG_001, not echoed; a valid one after it is', async (_name, kind) => {
    const peer = await startPeer({ compression: true, maxPayload: 2 * 1024 * 1024 });
    const client = makeClient(peer.url);
    const ready = peer.nextReady();
    await client.connect();
    const socket = await ready;
    const error = next(client, 'error');
    const head = { type: FrameType.HEARTBEAT, namespace: '/' };
    if (kind === 'compressed')
      socket.sendSection(head, new Uint8Array(1024 * 1024).fill(0x20), { compress: true });
    else if (kind === 'binary')
      socket.sendSection({ ...head, flags: FrameFlag.BINARY }, Uint8Array.of(0, 0, 0, 0));
    else socket.sendSection(head, new Uint8Array(MAX_HEARTBEAT_DATA + 1).fill(0x20));
    expect((await error)[0].code).toBe('ERR_MSG_001');
    // The marker: a valid heartbeat after the bad one is answered, and is the only answer.
    socket.send(FrameType.HEARTBEAT, { t: 7 });
    const ack = await socket.nextFrame((f) => f.type === FrameType.HEARTBEAT_ACK);
    expect(JSON.parse(new TextDecoder().decode(ack.data))).toEqual({ t: 7 });
    expect(socket.frames.filter((f) => f.type === FrameType.HEARTBEAT_ACK)).toHaveLength(1);
  });
});

describe('a flood of server heartbeats', () => {
  it('is answered within the budget only (64 a second)', async () => {
    const peer = await startPeer();
    const client = makeClient(peer.url);
    const ready = peer.nextReady();
    await client.connect();
    const socket = await ready;
    const hb = encodeMessage({ type: FrameType.HEARTBEAT, data: { t: 1 } });
    for (let i = 0; i < 1000; i++) socket.sendRaw(hb);
    // The marker: an event after the flood, answered by the client's ack once all were read.
    const reply = new Promise((resolve) =>
      client.on('mark', (_d: unknown, ack: (r: unknown) => void) => {
        ack('done');
        resolve(null);
      }),
    );
    socket.send(FrameType.EVENT, null, { event: 'mark', ackId: 1 });
    await reply;
    await socket.nextFrame((f) => f.type === FrameType.ACK);
    const acks = socket.frames.filter((f) => f.type === FrameType.HEARTBEAT_ACK).length;
    expect(acks).toBeGreaterThan(0);
    expect(acks).toBeLessThanOrEqual(64 * 2);
  });
});

describe('batches', () => {
  it("a burst that adds up to more than the server's maxPayload leaves as several messages", async () => {
    const maxPayload = 4096;
    const peer = await startPeer({ maxPayload });
    const client = makeClient(peer.url, { enableCompression: false });
    const ready = peer.nextReady();
    await client.connect();
    const socket = await ready;
    const before = socket.messageCount;
    for (let i = 0; i < 20; i++) client.emit('part', { i, pad: 'q'.repeat(1000) });
    const got: number[] = [];
    for (let i = 0; i < 20; i++)
      got.push(((await socket.nextEvent('part')).data as { i: number }).i);
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // ~20.6 KB in one turn, at most 4 KiB per message: at least six messages.
    expect(socket.messageCount - before).toBeGreaterThanOrEqual(6);
  });
});
