// Rooms, broadcast operators, encode-once broadcasts, batching, broadcast acks, volatile.
import { FrameType } from '@smartsocket/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SmartSocket, Socket } from '../src/index.js';
import { WsTransport } from '../src/ws-transport.js';
import { Cleanup, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(async () => {
  vi.restoreAllMocks();
  await cleanup.run();
});

/** Connects `n` clients to `namespace`, returning [client, server-side socket] pairs. */
async function connectMany(
  server: SmartSocket,
  n: number,
  namespace = '/',
): Promise<[TestClient, Socket][]> {
  const out: [TestClient, Socket][] = [];
  for (let i = 0; i < n; i++) {
    const client = cleanup.client(await TestClient.connect(server, { namespace }));
    out.push([client, server.namespace(namespace).sockets.get(client.id)!]);
  }
  return out;
}

/** Sends a marker to every client and waits for it, so earlier frames have surely arrived. */
async function settle(server: SmartSocket, clients: TestClient[]): Promise<void> {
  server.emit('__marker__');
  await Promise.all(clients.map((c) => c.nextEvent('__marker__')));
}

function eventsOf(client: TestClient): string[] {
  return client.frames
    .filter((f) => f.type === FrameType.EVENT && f.event !== '__marker__')
    .map((f) => f.event);
}

describe('rooms', () => {
  it('every socket is in its own id room; join arrays, leave, empty rooms are deleted', async () => {
    const server = await startServer(cleanup);
    const [a, b] = (await connectMany(server, 2)).map(([, s]) => s);
    expect([...a!.rooms]).toEqual([a!.id]);
    a!.join(['r1', 'r2']);
    b!.join('r1');
    expect([...a!.rooms].sort()).toEqual([a!.id, 'r1', 'r2'].sort());
    const adapter = server.namespace('/').adapter;
    expect(adapter.rooms.get('r1')?.size).toBe(2);
    a!.leave('r2');
    expect(adapter.rooms.has('r2')).toBe(false);
    a!.leave(['r1']);
    expect(adapter.rooms.get('r1')).toEqual(new Set([b!.id]));
  });

  it('a disconnected socket leaves every room', async () => {
    const server = await startServer(cleanup);
    const [client, socket] = (await connectMany(server, 1))[0]!;
    socket!.join(['x', 'y']);
    await client!.close();
    await vi.waitFor(() => expect(socket!.connected).toBe(false));
    expect(server.namespace('/').adapter.rooms.size).toBe(0);
    expect(server.namespace('/').adapter.sids.size).toBe(0);
  });
});

describe('broadcast operators', () => {
  it('to (union), except, chained; operators are immutable', async () => {
    const server = await startServer(cleanup);
    const pairs = await connectMany(server, 4);
    const [a, b, c, d] = pairs.map(([, s]) => s);
    a!.join('red');
    b!.join(['red', 'muted']);
    c!.join('blue');
    const red = server.to('red');
    red.to('blue').except('muted').emit('e1', 1);
    red.emit('e2', 2);
    server.except('red').emit('e3', 3);
    server.to(d!.id).emit('e4', 4);
    await settle(
      server,
      pairs.map(([cl]) => cl),
    );
    const [ca, cb, cc, cd] = pairs.map(([cl]) => eventsOf(cl));
    expect(ca).toEqual(['e1', 'e2']);
    expect(cb).toEqual(['e2']);
    expect(cc).toEqual(['e1', 'e3']);
    expect(cd).toEqual(['e3', 'e4']);
  });

  it('socket.broadcast and socket.to exclude the sender', async () => {
    const server = await startServer(cleanup);
    const pairs = await connectMany(server, 3);
    const [a, b] = pairs.map(([, s]) => s);
    a!.join('room');
    b!.join('room');
    a!.broadcast.emit('all-but-a');
    a!.to('room').emit('room-but-a');
    await settle(
      server,
      pairs.map(([cl]) => cl),
    );
    expect(eventsOf(pairs[0]![0])).toEqual([]);
    expect(eventsOf(pairs[1]![0])).toEqual(['all-but-a', 'room-but-a']);
    expect(eventsOf(pairs[2]![0])).toEqual(['all-but-a']);
  });

  it('server.emit and server.to reach every namespace; namespace.emit only its own', async () => {
    const server = await startServer(cleanup);
    server.namespace('/quiz');
    const [root, rootSocket] = (await connectMany(server, 1))[0]!;
    const [quiz, quizSocket] = (await connectMany(server, 1, '/quiz'))[0]!;
    rootSocket!.join('shared');
    quizSocket!.join('shared');
    server.emit('everyone');
    server.to('shared').emit('shared');
    server.namespace('/quiz').emit('quiz-only');
    await root!.nextEvent('shared');
    await quiz!.nextEvent('quiz-only');
    expect(eventsOf(root!)).toEqual(['everyone', 'shared']);
    expect(eventsOf(quiz!)).toEqual(['everyone', 'shared', 'quiz-only']);
    expect(quiz!.frames.find((f) => f.event === 'everyone')?.namespace).toBe('/quiz');
  });

  it('encodes a broadcast once: every transport gets the very same bytes', async () => {
    const server = await startServer(cleanup);
    const pairs = await connectMany(server, 3);
    const send = vi.spyOn(WsTransport.prototype, 'send');
    server.emit('big', { payload: 'x'.repeat(1000) });
    await Promise.all(pairs.map(([c]) => c.nextEvent('big')));
    expect(send).toHaveBeenCalledTimes(3);
    const first = send.mock.calls[0]![0];
    for (const [bytes] of send.mock.calls) expect(bytes).toBe(first);
  });

  it('frames queued in one event-loop turn leave as one message, in order', async () => {
    const server = await startServer(cleanup);
    const [client, socket] = (await connectMany(server, 1))[0]!;
    const before = client!.messages.length;
    for (let i = 0; i < 5; i++) socket!.emit('n', i);
    server.emit('b', 'broadcast');
    await client!.nextEvent('b');
    expect(client!.messages.length - before).toBe(1);
    expect(
      client!.frames.filter((f) => f.event === 'n' || f.event === 'b').map((f) => f.data),
    ).toEqual([0, 1, 2, 3, 4, 'broadcast']);
  });

  it('past maxBufferedBytes a socket loses volatile frames, then its oldest waiting ones', async () => {
    const server = await startServer(cleanup, { maxBufferedBytes: 100 });
    const [client, socket] = (await connectMany(server, 1))[0]!;
    socket!.emit('big', 'y'.repeat(500));
    socket!.volatile.emit('dropped', 1);
    server.volatile.emit('dropped-too', 2);
    socket!.emit('kept', 3);
    await client!.nextEvent('kept');
    // 'big' still waited in the queue (same turn): it is discarded so that 'kept' fits.
    expect(eventsOf(client!)).toEqual(['kept']);
    expect(server.getStats().transmission).toMatchObject({
      droppedMessages: 3,
      volatileDrops: 2,
      oldestDrops: 1,
    });
  });
});

describe('broadcast with acks', () => {
  it('collects every response', async () => {
    const server = await startServer(cleanup);
    const pairs = await connectMany(server, 3);
    const done = new Promise<[Error | null, unknown[]]>((resolve) =>
      server.timeout(2000).emit('poll', { q: 1 }, (err, responses) => resolve([err, responses])),
    );
    for (const [i, [client]] of pairs.entries()) {
      const f = await client.nextEvent('poll');
      client.ack(f.ackId!, i);
    }
    const [err, responses] = await done;
    expect(err).toBeNull();
    expect([...responses].sort()).toEqual([0, 1, 2]);
    const ids = new Set(pairs.map(([c]) => c.frames.find((f) => f.event === 'poll')!.ackId));
    expect(ids.size).toBe(1);
  });

  it('answers at once with no recipients', async () => {
    const server = await startServer(cleanup);
    const cb = vi.fn();
    server.to('nobody').timeout(10_000).emit('poll', null, cb);
    expect(cb).toHaveBeenCalledWith(null, []);
    await expect(server.to('nobody').emitWithAck('poll')).resolves.toEqual([]);
  });

  it('times out with ERR_ACK_001 and the responses so far', async () => {
    const server = await startServer(cleanup);
    const pairs = await connectMany(server, 2);
    const done = new Promise<[Error | null, unknown[]]>((resolve) =>
      server.timeout(100).emit('poll', null, (err, responses) => resolve([err, responses])),
    );
    const f = await pairs[0]![0].nextEvent('poll');
    pairs[0]![0].ack(f.ackId!, 'only');
    const [err, responses] = await done;
    expect(err).toMatchObject({ code: 'ERR_ACK_001' });
    expect(responses).toEqual(['only']);
  });
  it('forgets unanswered broadcast acks after the timeout (no per-socket growth)', async () => {
    // A short heartbeatTimeout makes the shared sweep tick every 5 ms; no probe within the test.
    const server = await startServer(cleanup, { connectionTimeout: 10_000, heartbeatTimeout: 20 });
    const [client, socket] = (await connectMany(server, 1))[0]!;
    const done = new Promise<unknown>((resolve) => server.timeout(30).emit('poll', null, resolve));
    await client.nextEvent('poll');
    expect(socket._pendingAcks).toBe(1);
    expect(await done).toMatchObject({ code: 'ERR_ACK_001' });
    await vi.waitFor(() => expect(socket._pendingAcks).toBe(0));
    expect(socket.connected).toBe(true);
  });

  it('does not wait for recipients whose volatile frame was dropped', async () => {
    const server = await startServer(cleanup, { maxBufferedBytes: 100 });
    const pairs = await connectMany(server, 2);
    pairs[0]![1].emit('big', 'z'.repeat(500));
    const done = new Promise<[Error | null, unknown[]]>((resolve) =>
      server.volatile
        .timeout(5000)
        .emit('poll', null, (err, responses) => resolve([err, responses])),
    );
    const f = await pairs[1]![0].nextEvent('poll');
    pairs[1]![0].ack(f.ackId!, 'answered');
    expect(await done).toEqual([null, ['answered']]);
  });
});

describe('cluster-facing operations on one node', () => {
  it('fetchSockets, socketsJoin/Leave, disconnectSockets, serverSideEmit', async () => {
    const server = await startServer(cleanup);
    const pairs = await connectMany(server, 3);
    const [a, b] = pairs.map(([, s]) => s);
    a!.join('g');
    b!.join('g');
    a!.data.name = 'alice';
    const found = await server.in('g').fetchSockets();
    expect(found.map((s) => s.id).sort()).toEqual([a!.id, b!.id].sort());
    expect(found.find((s) => s.id === a!.id)?.data).toEqual({ name: 'alice' });
    server.in('g').socketsJoin('h');
    expect(b!.rooms.has('h')).toBe(true);
    server.socketsLeave('h');
    expect(server.namespace('/').adapter.rooms.has('h')).toBe(false);
    const ack = vi.fn();
    server.namespace('/').serverSideEmit('hello', 1, ack);
    expect(ack).toHaveBeenCalledWith(null, []);
    server.in('g').disconnectSockets();
    await Promise.all([pairs[0]![0].closed, pairs[1]![0].closed]);
    expect([...server.sockets.keys()]).toEqual([pairs[2]![1].id]);
  });
});
