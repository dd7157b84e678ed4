// A broadcast frame is framed once for the WebSocket and written as is to every recipient: every
// payload length encoding arrives intact, and order with per-socket frames is kept.
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function clients(
  server: Awaited<ReturnType<typeof startServer>>,
  n: number,
): Promise<TestClient[]> {
  const out: TestClient[] = [];
  for (let i = 0; i < n; i++) out.push(cleanup.client(await TestClient.connect(server)));
  return out;
}

describe('shared broadcast frames on the WebSocket', () => {
  // 7-bit, 16-bit and 64-bit WebSocket payload lengths (RFC 6455, section 5.2).
  it.each([
    ['7-bit', 10],
    ['16-bit', 300],
    ['64-bit', 70_000],
  ])('delivers a broadcast with a %s length to every client intact', async (_name, size) => {
    const server = await startServer(cleanup);
    const all = await clients(server, 3);
    const text = 'x'.repeat(size);
    server.emit('big', { text });
    const got = await Promise.all(all.map((c) => c.nextEvent('big')));
    for (const f of got) expect(f.data).toEqual({ text });
    // The same bytes for everyone.
    for (const f of got) expect(Buffer.from(f.raw).equals(Buffer.from(got[0]!.raw))).toBe(true);
  });

  it('keeps order between broadcasts and per-socket emits, in one turn and across turns', async () => {
    const server = await startServer(cleanup);
    const [a] = await clients(server, 2);
    const socket = server.sockets.get(a!.id)!;
    socket.emit('seq', 1);
    server.emit('seq', 2);
    await new Promise((r) => setImmediate(r));
    server.emit('seq', 3);
    await new Promise((r) => setImmediate(r));
    socket.emit('seq', 4);
    await new Promise((r) => setImmediate(r));
    server.emit('seq', 5);
    socket.emit('seq', 6);
    server.emit('seq-end', null);
    await a!.nextEvent('seq-end');
    const seq = a!.frames.filter((f) => f.event === 'seq').map((f) => f.data);
    expect(seq).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('sockets with the same broadcasts in one turn share one message; others get their own', async () => {
    const server = await startServer(cleanup);
    const [a, b, c] = await clients(server, 3);
    server.sockets.get(b!.id)!.emit('own', 'b only');
    server.emit('tick', 1);
    server.emit('tick', 2);
    const [ma, mb, mc] = await Promise.all(
      [a!, b!, c!].map(async (cl) => {
        const before = cl.messages.length;
        await cl.nextEvent('tick');
        return cl.messages.slice(before);
      }),
    );
    // One transport message each, holding every frame of the turn, in order.
    for (const [cl, m, events] of [
      [a!, ma!, ['tick', 'tick']],
      [b!, mb!, ['own', 'tick', 'tick']],
      [c!, mc!, ['tick', 'tick']],
    ] as const) {
      expect(m).toHaveLength(1);
      expect(cl.frames.slice(-events.length).map((f) => [f.event, f.data])).toEqual(
        events.map((e, i) => [e, e === 'own' ? 'b only' : i - (events.length - 2) + 1]),
      );
    }
    expect(Buffer.from(ma![0]!).equals(Buffer.from(mc![0]!))).toBe(true);
    expect(mb![0]!.length).toBeGreaterThan(ma![0]!.length);
  });

  it('skips a recipient whose connection is gone without affecting the others', async () => {
    const server = await startServer(cleanup);
    const [gone, stays] = await clients(server, 2);
    const socket = server.sockets.get(gone!.id)!;
    gone!.ws.terminate();
    await gone!.closed;
    // The server may not have seen the close yet: either way the broadcast must not throw.
    expect(() => socket.emit('after', 1)).not.toThrow();
    server.emit('after', 2);
    expect((await stays!.nextEvent('after')).data).toBe(2);
  });
});
