// The cross-server suite: every operation across 2–3 real servers on one Redis, run once per
// client library and for sharded pub/sub (see the *.test.ts files that call it).
import type { SmartSocket } from '@smartsocket/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { RedisAdapterOptions } from '../../src/index.js';
import { adapterOf, collect, Fixture, next } from './cluster-fixture.js';

const KEY = Buffer.alloc(32, 7).toString('base64');

/** Registers the suite; `options()` gives the connection options (read after beforeAll ran). */
export function crossServerSuite(label: string, options: () => RedisAdapterOptions): void {
  describe(`cross-server over Redis (${label})`, () => {
    const fx = new Fixture(options);
    afterEach(() => fx.close());

    // Messages on different channels (different shards, different publishers) are not ordered
    // with each other, so a "nothing else arrived" check uses a marker from the same server on
    // the same channel, after the expected messages arrived.
    it('broadcasts to every client of every server once; .local stays on its server', async () => {
      const [a, b, c] = await fx.start(3);
      const clients = [await fx.connect(a!), await fx.connect(b!), await fx.connect(c!)];
      const news = clients.map((cl) => collect(cl, 'news'));
      const local = clients.map((cl) => collect(cl, 'local'));
      const arrived = clients.map((cl) => next(cl, 'news'));
      a!.emit('news', { n: 1 });
      await Promise.all(arrived);
      const markers = clients.map((cl) => next(cl, 'marker'));
      b!.local.emit('local', 2);
      b!.emit('marker');
      a!.emit('marker');
      await Promise.all(markers);
      expect(news).toEqual([[{ n: 1 }], [{ n: 1 }], [{ n: 1 }]]);
      expect(local).toEqual([[], [2], []]);
    });

    it('targets a room, excepts a room, and unicasts to a socket id on another server', async () => {
      const [a, b, c] = await fx.start(3);
      const redA = await fx.connectInRoom(a!, 'red');
      const redC = await fx.connectInRoom(c!, 'red');
      const blueB = await fx.connectInRoom(b!, 'blue');
      const all = [redA, redC, blueB];
      const toRed = all.map((cl) => collect(cl, 'to-red'));
      const notBlue = all.map((cl) => collect(cl, 'not-blue'));
      const direct = all.map((cl) => collect(cl, 'direct'));
      const arrived = [
        next(redA, 'to-red'),
        next(redC, 'to-red'),
        next(redA, 'not-blue'),
        next(redC, 'not-blue'),
        next(redC, 'direct'),
      ];
      b!.to('red').emit('to-red', 1);
      a!.except('blue').emit('not-blue', 2);
      a!.to(redC.id!).emit('direct', 3);
      await Promise.all(arrived);
      const markers = all.map((cl) => next(cl, 'marker'));
      a!.emit('marker');
      await Promise.all(markers);
      expect(toRed).toEqual([[1], [1], []]);
      expect(notBlue).toEqual([[2], [2], []]);
      expect(direct).toEqual([[], [3], []]);
    });

    it('keeps namespaces apart and broadcasts within one', async () => {
      const [a, b] = await fx.start(2);
      a!.namespace('/chat');
      b!.namespace('/chat');
      await fx.converge([a!, b!], '/chat');
      const root = await fx.connect(b!);
      const chat = await fx.connect(b!, '/chat');
      const onRoot = collect(root, 'msg');
      const got = next(chat, 'msg');
      a!.namespace('/chat').emit('msg', 'hi');
      expect(await got).toBe('hi');
      const marker = next(root, 'marker');
      a!.emit('marker');
      await marker;
      expect(onRoot).toEqual([]);
    });

    it('fetchSockets, socketsJoin, socketsLeave and disconnectSockets act on every server', async () => {
      const [a, b] = await fx.start(2);
      const onA = await fx.connectInRoom(a!, 'lobby');
      const onB = await fx.connectInRoom(b!, 'lobby');
      await fx.connect(b!);
      b!.sockets.get(onB.id!)!.data = { name: 'bob', bytes: new Uint8Array([1, 2, 3]) };

      const lobby = await a!.to('lobby').fetchSockets();
      expect(lobby.map((s) => s.id).sort()).toEqual([onA.id, onB.id].sort());
      const remote = lobby.find((s) => s.id === onB.id)!;
      expect(remote.data).toEqual({ name: 'bob', bytes: new Uint8Array([1, 2, 3]) });
      expect([...remote.rooms].sort()).toEqual([onB.id, 'lobby'].sort());
      expect(await b!.fetchSockets()).toHaveLength(3);

      a!.to('lobby').socketsJoin('game');
      await expect.poll(() => adapterOf(b!).rooms.get('game')?.has(onB.id!)).toBe(true);
      expect(adapterOf(a!).rooms.get('game')?.has(onA.id!)).toBe(true);
      b!.socketsLeave('lobby');
      await expect.poll(() => adapterOf(a!).rooms.has('lobby')).toBe(false);

      const closed = next(onB, 'disconnected');
      a!.in('game').disconnectSockets(true);
      await closed;
      await expect.poll(() => b!.sockets.size).toBe(1);
    });

    it('serverSideEmit reaches the others and gathers answers, in both directions', async () => {
      const [a, b] = await fx.start(2);
      for (const [name, s] of [
        ['a', a],
        ['b', b],
      ] as const) {
        s!.namespace('/').onServerSideEmit('who', (...args: unknown[]) => {
          const ack = args[args.length - 1] as (r: unknown) => void;
          ack({ from: name, got: args[0] });
        });
      }
      const ask = (s: SmartSocket, q: unknown) =>
        new Promise<unknown[]>((resolve, reject) =>
          s
            .namespace('/')
            .serverSideEmit('who', q, (err: Error | null, res: unknown[]) =>
              err ? reject(err) : resolve(res),
            ),
        );
      expect(await ask(a!, new Uint8Array([9]))).toEqual([{ from: 'b', got: new Uint8Array([9]) }]);
      expect(await ask(b!, 'q')).toEqual([{ from: 'a', got: 'q' }]);
    });

    it('broadcast with acks gathers the answers of clients on every server, both ways', async () => {
      const [a, b, c] = await fx.start(3);
      const clients = [await fx.connect(a!), await fx.connect(b!), await fx.connect(c!)];
      clients.forEach((cl, i) => {
        cl.on('question', (q: unknown, ack?: (r: unknown) => void) => ack?.({ i, q }));
      });
      const fromA = await a!.timeout(5000).emitWithAck('question', 'why');
      expect(fromA).toEqual(expect.arrayContaining([0, 1, 2].map((i) => ({ i, q: 'why' }))));
      expect(fromA).toHaveLength(3);
      const fromC = await c!.timeout(5000).emitWithAck('question', 'how');
      expect(fromC).toHaveLength(3);
      expect(await b!.to('nobody').timeout(5000).emitWithAck('question', 1)).toEqual([]);
    });

    it('carries binary payloads, compression and encryption across servers', async () => {
      const secure = { enableCompression: true, encryptionKey: KEY };
      const [a, b] = await fx.start(2, secure);
      const client = await fx.connect(b!, '/', { encryptionKey: KEY, enableCompression: true });
      const big = { text: 'abc'.repeat(4000), bytes: new Uint8Array(5000).fill(3) };
      const got = next(client, 'big');
      a!.emit('big', big);
      expect(await got).toEqual(big);
    });

    it('a server restarted after stop() rejoins', async () => {
      const [a, b] = await fx.start(2);
      await b!.stop();
      await expect.poll(() => adapterOf(a!).serverCount(), { timeout: 5000 }).toBe(1);
      await b!.start();
      await fx.converge([a!, b!]);
      const client = await fx.connect(b!);
      const got = next(client, 'again');
      a!.emit('again', 1);
      expect(await got).toBe(1);
    });
  });
}
