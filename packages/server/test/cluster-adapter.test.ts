// Several real SmartSocket servers sharing an in-process bus act as one: broadcasts, rooms,
// unicast, fetchSockets, socketsJoin/Leave, disconnectSockets, serverSideEmit, broadcast acks.
import {
  decodeFrameData,
  decodeFrames,
  encodeMessage,
  type Frame,
  FrameFlag,
  FrameType,
  SUBPROTOCOL,
} from '@smartsocket/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { type ClusterAdapter, createClusterAdapter } from '../src/cluster-adapter.js';
import {
  type ClusterTransport,
  createInProcessBus,
  type InProcessTransport,
} from '../src/cluster-bus.js';
import { SmartSocket } from '../src/smart-socket.js';

interface Received {
  event: string;
  data: unknown;
}

/** A minimal protocol client over raw `ws`: CONNECT, collects EVENTs, answers acks and pings. */
class RawClient {
  id = '';
  readonly events: Received[] = [];
  readonly acks = new Map<string, (data: unknown) => unknown>();
  closed: Promise<void>;
  #waiters: Array<() => void> = [];

  constructor(
    readonly ws: WebSocket,
    readonly namespace: string,
  ) {
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (bytes: Buffer) => {
      for (const frame of decodeFrames(new Uint8Array(bytes))) this.#onFrame(frame);
    });
  }

  #onFrame(frame: Frame): void {
    if (frame.type === FrameType.HEARTBEAT) {
      this.send(encodeMessage({ type: FrameType.HEARTBEAT_ACK, namespace: this.namespace }));
    } else if (frame.type === FrameType.EVENT) {
      const data = decodeFrameData(frame);
      this.events.push({ event: frame.event, data });
      const answer = this.acks.get(frame.event);
      if (frame.flags & FrameFlag.ACK && answer) {
        this.send(
          encodeMessage({
            type: FrameType.ACK,
            namespace: this.namespace,
            ackId: frame.ackId ?? 0,
            data: answer(data),
          }),
        );
      }
    } else if (frame.type === FrameType.CONNECT) {
      this.id = (decodeFrameData(frame) as { id: string }).id;
    }
    for (const w of this.#waiters.splice(0)) w();
  }

  send(bytes: Uint8Array): void {
    this.ws.send(bytes);
  }

  emit(event: string, data?: unknown): void {
    this.send(encodeMessage({ type: FrameType.EVENT, namespace: this.namespace, event, data }));
  }

  /** Resolves when `predicate` holds, re-checked on every incoming frame. */
  async until(predicate: () => boolean): Promise<void> {
    while (!predicate()) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  received(event: string): unknown[] {
    return this.events.filter((e) => e.event === event).map((e) => e.data);
  }
}

const bus = { create: createInProcessBus() };
let servers: SmartSocket[] = [];
let clients: RawClient[] = [];

afterEach(async () => {
  for (const c of clients) c.ws.terminate();
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
  clients = [];
  bus.create = createInProcessBus();
});

const clusterOptions = {
  heartbeatInterval: 50,
  heartbeatTimeout: 400,
  requestTimeout: 300,
  roomLinger: 50,
};

async function startCluster(n: number, wrap?: (t: ClusterTransport) => ClusterTransport) {
  const started: SmartSocket[] = [];
  for (let i = 0; i < n; i++) {
    const transport = wrap ? wrap(bus.create()) : bus.create();
    const server = new SmartSocket({
      port: 0,
      host: '127.0.0.1',
      adapter: createClusterAdapter(transport, clusterOptions),
    });
    server.on('join', (socket, room: string) => socket.join(room));
    servers.push(server);
    started.push(server);
    await server.start();
  }
  await vi.waitFor(() => {
    for (const s of started) expect(adapterOf(s).serverCount()).toBe(n);
  });
  return started;
}

function adapterOf(server: SmartSocket, nsp = '/'): ClusterAdapter {
  return server.namespace(nsp).adapter as ClusterAdapter;
}

async function connect(server: SmartSocket, namespace = '/'): Promise<RawClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/smartsocket`, SUBPROTOCOL);
  const client = new RawClient(ws, namespace);
  clients.push(client);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  client.send(
    encodeMessage({
      type: FrameType.CONNECT,
      namespace,
      data: { caps: { compression: [], binary: true } },
    }),
  );
  await client.until(() => client.id !== '');
  return client;
}

/** Connects a client and waits until it is in `room` on its server. */
async function connectInRoom(server: SmartSocket, room: string): Promise<RawClient> {
  const client = await connect(server);
  client.emit('join', room);
  await vi.waitFor(() => expect(adapterOf(server).rooms.get(room)?.has(client.id)).toBe(true));
  return client;
}

describe('ClusterAdapter with real servers on an in-process bus', () => {
  it('discovers the other nodes and forgets a node that stops', async () => {
    const [a, b, c] = await startCluster(3);
    expect(adapterOf(a!).nodeId).not.toBe(adapterOf(b!).nodeId);
    await c!.stop();
    await vi.waitFor(() => expect(adapterOf(a!).serverCount()).toBe(2));
    expect(adapterOf(b!).serverCount()).toBe(2);
  });

  it('broadcasts to every client of every node exactly once; .local stays on this node', async () => {
    const [a, b, c] = await startCluster(3);
    const all = [await connect(a!), await connect(b!), await connect(b!), await connect(c!)];
    a!.emit('news', { n: 1 });
    await Promise.all(all.map((cl) => cl.until(() => cl.received('news').length > 0)));
    b!.local.emit('local-news', 2);
    const [onA, onB1, onB2, onC] = all as [RawClient, RawClient, RawClient, RawClient];
    await onB1.until(() => onB1.received('local-news').length > 0);
    await onB2.until(() => onB2.received('local-news').length > 0);
    // A marker broadcast afterwards proves the local one would have arrived by now.
    b!.emit('marker');
    await Promise.all(all.map((cl) => cl.until(() => cl.received('marker').length > 0)));
    for (const cl of all) expect(cl.received('news')).toEqual([{ n: 1 }]);
    expect(onA.received('local-news')).toEqual([]);
    expect(onC.received('local-news')).toEqual([]);
  });

  it('targets rooms and excepts rooms across nodes, and unicasts to a socket id elsewhere', async () => {
    const [a, b, c] = await startCluster(3);
    const redA = await connectInRoom(a!, 'red');
    const redC = await connectInRoom(c!, 'red');
    const blueB = await connectInRoom(b!, 'blue');
    const redBlueB = await connectInRoom(b!, 'red');
    redBlueB.emit('join', 'blue');
    await vi.waitFor(() => expect(adapterOf(b!).rooms.get('blue')?.size).toBe(2));

    b!.to('red').emit('to-red', 1);
    a!.to('red').except('blue').emit('red-not-blue', 2);
    a!.to(redC.id).emit('direct', 3);
    c!.to(blueB.id).to(redA.id).emit('two', 4);
    c!.emit('marker');
    const everyone = [redA, redC, blueB, redBlueB];
    await Promise.all(everyone.map((cl) => cl.until(() => cl.received('marker').length > 0)));

    expect(everyone.map((cl) => cl.received('to-red').length)).toEqual([1, 1, 0, 1]);
    expect(everyone.map((cl) => cl.received('red-not-blue').length)).toEqual([1, 1, 0, 0]);
    expect(everyone.map((cl) => cl.received('direct'))).toEqual([[], [3], [], []]);
    expect(everyone.map((cl) => cl.received('two').length)).toEqual([1, 0, 1, 0]);
  });

  it('fetchSockets returns the sockets of every node with their rooms', async () => {
    const [a, b] = await startCluster(2);
    const onA = await connectInRoom(a!, 'lobby');
    const onB = await connectInRoom(b!, 'lobby');
    await connect(b!); // not in the lobby
    b!.sockets.get(onB.id)!.data = { name: 'bob', bytes: new Uint8Array([1, 2, 3]) };

    const inLobby = await a!.to('lobby').fetchSockets();
    expect(inLobby.map((s) => s.id).sort()).toEqual([onA.id, onB.id].sort());
    const remote = inLobby.find((s) => s.id === onB.id)!;
    expect(remote.data).toEqual({ name: 'bob', bytes: new Uint8Array([1, 2, 3]) });
    expect([...remote.rooms].sort()).toEqual([onB.id, 'lobby'].sort());
    expect(remote.handshake.namespace).toBe('/');
    expect(await a!.fetchSockets()).toHaveLength(3);
    expect(await a!.local.fetchSockets()).toHaveLength(1);
  });

  it('socketsJoin and socketsLeave act on the sockets of every node', async () => {
    const [a, b] = await startCluster(2);
    const onA = await connectInRoom(a!, 'lobby');
    const onB = await connectInRoom(b!, 'lobby');
    const other = await connect(b!);

    a!.to('lobby').socketsJoin(['game', 'chat']);
    await vi.waitFor(() => {
      expect(adapterOf(a!).rooms.get('game')?.has(onA.id)).toBe(true);
      expect(adapterOf(b!).rooms.get('game')?.has(onB.id)).toBe(true);
      expect(adapterOf(b!).rooms.get('chat')?.has(onB.id)).toBe(true);
    });
    expect(adapterOf(b!).rooms.get('game')?.has(other.id)).toBe(false);

    b!.socketsLeave('game');
    await vi.waitFor(() => {
      expect(adapterOf(a!).rooms.has('game')).toBe(false);
      expect(adapterOf(b!).rooms.has('game')).toBe(false);
    });
    expect(adapterOf(a!).rooms.get('chat')?.has(onA.id)).toBe(true);
  });

  it('disconnectSockets disconnects the targeted sockets on every node', async () => {
    const [a, b] = await startCluster(2);
    const keepA = await connect(a!);
    const kickA = await connectInRoom(a!, 'kick');
    const kickB = await connectInRoom(b!, 'kick');
    a!.to('kick').disconnectSockets(true);
    await Promise.all([kickA.closed, kickB.closed]);
    await vi.waitFor(() => expect(b!.sockets.size).toBe(0));
    expect(a!.sockets.has(keepA.id)).toBe(true);
  });

  it('serverSideEmit reaches the other nodes and gathers one answer per node', async () => {
    const [a, b, c] = await startCluster(3);
    const seen: unknown[][] = [];
    for (const [name, s] of [
      ['a', a],
      ['b', b],
      ['c', c],
    ] as const) {
      s!.namespace('/').onServerSideEmit('hello', (...args: unknown[]) => {
        const ack = args[args.length - 1];
        if (typeof ack === 'function') ack({ from: name, got: args[0] });
        else seen.push([name, ...args]);
      });
    }
    a!.namespace('/').serverSideEmit('hello', 'x', 2);
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen.sort()).toEqual([
      ['b', 'x', 2],
      ['c', 'x', 2],
    ]);

    const answers = await new Promise<unknown[]>((resolve, reject) =>
      a!
        .namespace('/')
        .serverSideEmit('hello', 'q', (err: Error | null, res: unknown[]) =>
          err ? reject(err) : resolve(res),
        ),
    );
    expect(answers).toHaveLength(2);
    expect(answers).toEqual(
      expect.arrayContaining([
        { from: 'b', got: 'q' },
        { from: 'c', got: 'q' },
      ]),
    );
  });

  it('serverSideEmit with ack times out with ERR_ACK_001 and the answers it got', async () => {
    const [a, b] = await startCluster(3);
    b!.namespace('/').onServerSideEmit('ping', (ack: (r: unknown) => void) => ack('pong'));
    // The third node has no handler and never answers.
    const result = await new Promise<{ err: Error | null; res: unknown[] }>((resolve) =>
      a!
        .namespace('/')
        .serverSideEmit('ping', (err: Error | null, res: unknown[]) => resolve({ err, res })),
    );
    expect((result.err as { code?: string }).code).toBe('ERR_ACK_001');
    expect(result.res).toEqual(['pong']);
  });

  it('broadcast with acks gathers the responses of clients on every node', async () => {
    const [a, b, c] = await startCluster(3);
    const all = [await connect(a!), await connect(b!), await connect(c!), await connect(c!)];
    for (const [i, cl] of all.entries()) cl.acks.set('question', (q) => ({ i, q }));
    const responses = await a!.timeout(2000).emitWithAck('question', 'why');
    expect(responses).toHaveLength(4);
    expect(responses).toEqual(expect.arrayContaining([0, 1, 2, 3].map((i) => ({ i, q: 'why' }))));
    // No recipient anywhere: answered at once, not after the timeout.
    const started = Date.now();
    expect(await b!.to('nobody').timeout(5000).emitWithAck('question', 1)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('broadcast with acks times out with ERR_ACK_001 when a remote client stays silent', async () => {
    const [a, b] = await startCluster(2);
    const talker = await connect(a!);
    const silent = await connect(b!);
    talker.acks.set('q', () => 'yes');
    const result = await new Promise<{ err: Error | null; res: unknown[] }>((resolve) =>
      a!.timeout(300).emit('q', 1, (err: Error | null, res: unknown[]) => resolve({ err, res })),
    );
    expect((result.err as { code?: string }).code).toBe('ERR_ACK_001');
    expect(result.res).toEqual(['yes']);
    expect(silent.received('q')).toEqual([1]);
  });

  it('sends a broadcast over the bus once, as the frame the local clients receive', async () => {
    const published: Array<{ channel: string; bytes: Uint8Array }> = [];
    const spy = (t: ClusterTransport): ClusterTransport => ({
      ...t,
      publish: (channel, bytes) => {
        published.push({ channel, bytes });
        return t.publish(channel, bytes);
      },
    });
    const [a, b, c] = await startCluster(3, spy);
    const local = await connect(a!);
    const remotes = [await connect(b!), await connect(c!)];
    const frames: Uint8Array[] = [];
    local.ws.on('message', (bytes: Buffer) => frames.push(new Uint8Array(bytes)));
    published.length = 0;
    a!.emit('big', { text: 'x'.repeat(500) });
    await Promise.all(
      [local, ...remotes].map((cl) => cl.until(() => cl.received('big').length > 0)),
    );
    const broadcasts = published.filter((p) => p.bytes[1] === 4);
    expect(broadcasts).toHaveLength(1);
    const frame = frames.find((f) => f.length > 500)!;
    const bytes = broadcasts[0]!.bytes;
    // The frame travels as the tail of the envelope, byte for byte.
    expect(Buffer.from(bytes.subarray(bytes.length - frame.length))).toEqual(Buffer.from(frame));
  });

  it('keeps namespaces apart', async () => {
    const [a, b] = await startCluster(2);
    a!.namespace('/chat');
    b!.namespace('/chat');
    await vi.waitFor(() => expect(adapterOf(a!, '/chat').serverCount()).toBe(2));
    const root = await connect(b!);
    const chat = await connect(b!, '/chat');
    a!.namespace('/chat').emit('msg', 'hi');
    await chat.until(() => chat.received('msg').length > 0);
    a!.emit('marker');
    await root.until(() => root.received('marker').length > 0);
    expect(root.received('msg')).toEqual([]);
  });

  it('degrades to local delivery when the bus fails, without throwing', async () => {
    let failing = false;
    const flaky = (t: ClusterTransport): ClusterTransport => ({
      ...t,
      publish: (channel, bytes) =>
        failing ? Promise.reject(new Error('bus down')) : t.publish(channel, bytes),
    });
    const [a] = await startCluster(2, flaky);
    const local = await connect(a!);
    failing = true;
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(() => a!.emit('still', 1)).not.toThrow();
      await local.until(() => local.received('still').length > 0);
      await vi.waitFor(() => expect(logged).toHaveBeenCalled());
    } finally {
      failing = false;
      logged.mockRestore();
    }
  });
});

describe('ClusterAdapter: only servers with members work, outages, restarts', () => {
  /** Wraps a transport to count what it receives per channel and the subscribe batches. */
  function counting(received: Map<string, number>, batches: string[][]) {
    return (t: ClusterTransport): ClusterTransport => ({
      ...t,
      subscribe: (channels, handler) => {
        const list = typeof channels === 'string' ? [channels] : [...channels];
        batches.push(list);
        return t.subscribe(list, (bytes) => {
          for (const ch of list) received.set(ch, (received.get(ch) ?? 0) + 1);
          handler(bytes);
        });
      },
    });
  }

  it('a broadcast to a room reaches only the servers with members of it', async () => {
    const perServer = [
      new Map<string, number>(),
      new Map<string, number>(),
      new Map<string, number>(),
    ];
    let i = 0;
    const [a, b, c] = await startCluster(3, (t) => counting(perServer[i++]!, [])(t));
    const member = await connectInRoom(b!, 'R');
    await adapterOf(b!).roomsReady();
    for (let n = 0; n < 50; n++) a!.to('R').emit('news', n);
    await member.until(() => member.received('news').length === 50);
    const roomChannel = (m: Map<string, number>) =>
      [...m].filter(([ch]) => ch.includes('#room#R#')).reduce((sum, [, n]) => sum + n, 0);
    expect(roomChannel(perServer[1]!)).toBe(50);
    expect(roomChannel(perServer[2]!)).toBe(0);
    // A unicast goes on the socket's own channel: only its owner hears it.
    a!.to(member.id).emit('direct', 1);
    await member.until(() => member.received('direct').length === 1);
    expect([...perServer[2]!.keys()].some((ch) => ch.includes(member.id))).toBe(false);
    expect(c).toBeDefined();
  });

  it('subscribes room channels in one batch per turn and keeps them through a quick rejoin', async () => {
    const batches: string[][] = [];
    const unsubscribed: string[][] = [];
    const [a] = await startCluster(1, (t) => {
      const counted = counting(new Map(), batches)(t);
      return {
        ...counted,
        unsubscribe: (channels) => {
          unsubscribed.push(typeof channels === 'string' ? [channels] : [...channels]);
          return t.unsubscribe?.(channels);
        },
      };
    });
    const client = await connect(a!);
    const socket = a!.sockets.get(client.id)!;
    await adapterOf(a!).roomsReady();
    batches.length = 0;
    for (let r = 0; r < 100; r++) socket.join(`room-${r}`);
    await adapterOf(a!).roomsReady();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(100);
    // Leave and come back within the linger: no UNSUBSCRIBE, no SUBSCRIBE.
    for (let r = 0; r < 100; r++) socket.leave(`room-${r}`);
    for (let r = 0; r < 100; r++) socket.join(`room-${r}`);
    await adapterOf(a!).roomsReady();
    expect(batches).toHaveLength(1);
    // Leave for good: one UNSUBSCRIBE batch after the linger.
    for (let r = 0; r < 100; r++) socket.leave(`room-${r}`);
    await vi.waitFor(() => expect(unsubscribed.flat()).toHaveLength(100));
    expect(unsubscribed).toHaveLength(1);
    expect(adapterOf(a!).roomChannelCount).toBe(1); // the socket's own id room
  });

  it('while the bus is down: local delivery, requests fail with ERR_CLUSTER_001; then it resumes', async () => {
    const transports: InProcessTransport[] = [];
    const [a, b] = await startCluster(2, (t) => {
      transports.push(t as InProcessTransport);
      return t;
    });
    const onA = await connect(a!);
    const onB = await connect(b!);
    b!.namespace('/').onServerSideEmit('ping', (ack: (r: unknown) => void) => ack('pong'));
    const logged = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      transports[0]!.setConnected(false);
      a!.emit('local-only', 1);
      await onA.until(() => onA.received('local-only').length === 1);
      await expect(a!.fetchSockets()).rejects.toMatchObject({ code: 'ERR_CLUSTER_001' });
      const down = await new Promise<Error | null>((resolve) =>
        a!.namespace('/').serverSideEmit('ping', (err: Error | null) => resolve(err)),
      );
      expect(down).toMatchObject({ code: 'ERR_CLUSTER_001' });
      expect(adapterOf(a!).serverCount()).toBe(1);
      // Broadcasts with acks degrade to this server's clients instead of waiting.
      onA.acks.set('q', () => 'a');
      expect(await a!.timeout(2000).emitWithAck('q', 1)).toEqual(['a']);

      transports[0]!.setConnected(true);
      await vi.waitFor(() => expect(adapterOf(a!).serverCount()).toBe(2));
      expect(await a!.fetchSockets()).toHaveLength(2);
      a!.emit('back', 2);
      await onB.until(() => onB.received('back').length === 1);
      expect(onB.received('local-only')).toEqual([]);
    } finally {
      logged.mockRestore();
    }
  });

  it('a server restarted after stop() rejoins the cluster', async () => {
    const [a, b] = await startCluster(2);
    await b!.stop();
    await vi.waitFor(() => expect(adapterOf(a!).serverCount()).toBe(1));
    await b!.start();
    await vi.waitFor(() => {
      expect(adapterOf(a!).serverCount()).toBe(2);
      expect(adapterOf(b!).serverCount()).toBe(2);
    });
    const onB = await connect(b!);
    a!.emit('hello-again', 1);
    await onB.until(() => onB.received('hello-again').length === 1);
  });

  it('a server that dies silently does not hold up a broadcast with acks past its heartbeats', async () => {
    const transports: ClusterTransport[] = [];
    const [a, b, c] = await startCluster(3, (t) => {
      transports.push(t);
      return t;
    });
    const onB = await connect(b!);
    const onC = await connect(c!);
    onB.acks.set('q', () => 'b');
    onC.acks.set('q', () => 'c');
    // C vanishes without a goodbye (its bus connection is cut, like a crash).
    transports[2]!.close();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const started = Date.now();
    const answers = await a!
      .timeout(5000)
      .emitWithAck('q', 1)
      .finally(() => logged.mockRestore());
    expect(answers).toContain('b');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(adapterOf(a!).serverCount()).toBe(2);
  });
});
