// Faulty app code: every callback that throws or rejects is reported on `error` and the logger,
// never crashes the process, never skips the server's clean-up and never affects other sockets.
import { generateKey } from '@smartsocket/crypto';
import { FrameType, SmartSocketError } from '@smartsocket/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InMemoryAdapter } from '../src/adapter.js';
import { createClusterAdapter } from '../src/cluster-adapter.js';
import { createInProcessBus } from '../src/cluster-bus.js';
import { SmartSocket, type SmartSocketOptions, type Socket } from '../src/index.js';
import { Cleanup, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
const faults: unknown[] = [];
const onFault = (e: unknown): void => {
  faults.push(e);
};
beforeEach(() => {
  faults.length = 0;
  process.on('uncaughtException', onFault);
  process.on('unhandledRejection', onFault);
});
afterEach(async () => {
  await cleanup.run();
  process.off('uncaughtException', onFault);
  process.off('unhandledRejection', onFault);
});

type Bad = (...args: any[]) => any;
/** A throwing and a rejecting version of the same faulty callback. */
const KINDS: [string, () => Bad][] = [
  [
    'throws',
    () => () => {
      throw new Error('db password is hunter2');
    },
  ],
  [
    'rejects',
    () => async () => {
      throw new Error('db password is hunter2');
    },
  ],
];

/** A logger that records `error` and `warn` lines. */
function recordingLogger() {
  const lines = { error: [] as string[], warn: [] as string[] };
  const logger = {
    error: (m: string) => lines.error.push(m),
    warn: (m: string) => lines.warn.push(m),
    info: () => {},
    debug: () => {},
  };
  return { logger, lines };
}

async function setup(options: SmartSocketOptions = {}) {
  const { logger, lines } = recordingLogger();
  const server = await startServer(cleanup, { logger, ...options });
  return { ...watch(server), lines };
}

/** Adds the `error` listener and the echo/join handlers every test uses. */
function watch(server: SmartSocket) {
  const errors: Error[] = [];
  let seen!: () => void;
  const reported = new Promise<void>((resolve) => (seen = resolve));
  server.on('error', (err) => {
    errors.push(err);
    seen();
  });
  server.on('ping', (_s, data, ack) => ack?.(data));
  server.on('join', (socket, room: string, ack) => {
    socket.join(room);
    ack?.(true);
  });
  return { server, errors, reported };
}

/** Nothing escaped to the process, and a client still gets answers (a later message). */
async function stillServing(client: TestClient, label = 'still here'): Promise<void> {
  expect((await client.request('ping', label)).data).toBe(label);
  expect(faults).toEqual([]);
}

const OLD = generateKey();
const NEW = generateKey();

describe.each(KINDS)('a callback that %s', (_kind, bad) => {
  describe('listeners of the connection', () => {
    const registrars: [string, (server: SmartSocket, fn: Bad) => void][] = [
      ["server.on('connected')", (s, fn) => s.on('connected', fn)],
      ["server.on('connection')", (s, fn) => s.on('connection', fn)],
      ["namespace.on('connected')", (s, fn) => s.namespace('/').on('connected', fn)],
      ['server.onConnection', (s, fn) => s.onConnection(fn)],
    ];
    it.each(registrars)(
      '%s is reported; the socket and the others keep working',
      async (_n, add) => {
        const { server, errors, reported, lines } = await setup();
        const bystander = cleanup.client(await TestClient.connect(server));
        add(server, bad());
        const victim = cleanup.client(await TestClient.connect(server));
        await reported;
        expect(errors[0]?.message).toBe('db password is hunter2');
        expect(lines.error.join('\n')).toContain('db password is hunter2');
        await stillServing(victim);
        await stillServing(bystander);
        expect(server.sockets.size).toBe(2);
      },
    );
  });

  describe('handlers of an event', () => {
    const registrars: [string, (server: SmartSocket, fn: Bad) => void][] = [
      ["server.on('work')", (s, fn) => s.on('work', fn)],
      ["namespace.on('work')", (s, fn) => s.namespace('/').on('work', fn)],
      ["socket.on('work')", (s, fn) => s.on('connected', (socket) => socket.on('work', fn))],
      ["socket.once('work')", (s, fn) => s.on('connected', (socket) => socket.once('work', fn))],
    ];
    it.each(registrars)(
      '%s: reported, and the ack gets only a code and a generic message',
      async (_n, add) => {
        const { server, errors, reported } = await setup();
        add(server, bad());
        let later = 0;
        server.on('work', () => later++);
        const bystander = cleanup.client(await TestClient.connect(server));
        const victim = cleanup.client(await TestClient.connect(server));
        const reply = await victim.request('work', 1);
        await reported;
        expect(errors[0]?.message).toBe('db password is hunter2');
        expect(reply.type).toBe(FrameType.ERROR);
        expect(reply.data).toEqual({
          code: 'ERR_MW_001',
          message: 'Event handler failed',
          event: 'work',
          ackId: reply.ackId ?? (reply.data as { ackId: number }).ackId,
        });
        expect(JSON.stringify(reply.data)).not.toContain('hunter2');
        // The handlers after the faulty one still ran.
        expect(later).toBe(1);
        await stillServing(victim);
        await stillServing(bystander);
      },
    );

    it('a SmartSocketError thrown on purpose reaches the client as it was made', async () => {
      const { server, reported } = await setup();
      const fail = bad();
      server.on('work', async (...args) => {
        try {
          await fail(...args);
        } catch {
          throw new SmartSocketError('ERR_CONN_004', 'Log in first');
        }
      });
      const victim = cleanup.client(await TestClient.connect(server));
      const reply = await victim.request('work', 1);
      await reported;
      expect(reply.data).toMatchObject({ code: 'ERR_CONN_004', message: 'Log in first' });
      await stillServing(victim);
    });

    it('server.onMessage is reported; the handlers still run', async () => {
      const { server, errors, reported } = await setup();
      server.onMessage(bad());
      const victim = cleanup.client(await TestClient.connect(server));
      await stillServing(victim);
      await reported;
      expect(errors.length).toBeGreaterThan(0);
      await stillServing(victim, 'again');
    });
  });

  describe('middleware', () => {
    const registrars: [string, (server: SmartSocket, fn: Bad) => void][] = [
      ['server.use', (s, fn) => s.use(fn)],
      ['namespace.use', (s, fn) => s.namespace('/').use(fn)],
    ];
    it.each(registrars)('%s: reported, the event refused without the message', async (_n, add) => {
      const { server, errors, reported } = await setup();
      const fail = bad();
      add(server, (socket: Socket, event: string, data: unknown, next: () => void) =>
        event === 'work' ? fail(socket, event, data, next) : next(),
      );
      let reached = 0;
      server.on('work', () => reached++);
      const bystander = cleanup.client(await TestClient.connect(server));
      const victim = cleanup.client(await TestClient.connect(server));
      const reply = await victim.request('work', 1);
      await reported;
      expect(errors[0]?.message).toBe('db password is hunter2');
      expect(reply.data).toMatchObject({ code: 'ERR_MW_001', message: 'Rejected by middleware' });
      expect(JSON.stringify(reply.data)).not.toContain('hunter2');
      expect(reached).toBe(0);
      await stillServing(victim);
      await stillServing(bystander);
    });
  });

  it('authenticate: reported, the client refused with ERR_CONN_004', async () => {
    const fail = bad();
    const { server, errors, reported } = await setup({
      authenticate: (h) => (h.auth === 'ok' ? true : fail(h)),
    });
    const bystander = cleanup.client(await TestClient.connect(server, { auth: 'ok' }));
    const victim = cleanup.client(await TestClient.open(server));
    const answer = await victim.handshake({ auth: 'bad' });
    await reported;
    expect(errors[0]?.message).toBe('db password is hunter2');
    expect(answer.data).toMatchObject({ code: 'ERR_CONN_004' });
    expect(JSON.stringify(answer.data)).not.toContain('hunter2');
    await stillServing(bystander);
  });

  it('authenticate throwing a SmartSocketError on purpose: the client gets that error', async () => {
    const fail = bad();
    const { server, reported } = await setup({
      authenticate: async (h) => {
        try {
          await fail(h);
        } catch {
          throw new SmartSocketError('ERR_CONN_004', 'Token expired');
        }
        return true;
      },
    });
    const victim = cleanup.client(await TestClient.open(server));
    const answer = await victim.handshake({ auth: 'old' });
    await reported;
    expect(answer.data).toMatchObject({ code: 'ERR_CONN_004', message: 'Token expired' });
  });

  describe('rate-limit listeners', () => {
    const registrars: [string, (server: SmartSocket, fn: Bad) => void][] = [
      ["server.on('rate-limit')", (s, fn) => s.on('rate-limit', fn)],
      ["namespace.on('rate-limit')", (s, fn) => s.namespace('/').on('rate-limit', fn)],
    ];
    it.each(registrars)('%s is reported', async (_n, add) => {
      const { server, errors, reported } = await setup({ rateLimitMaxRequests: 2 });
      add(server, bad());
      const bystander = cleanup.client(await TestClient.connect(server));
      const victim = cleanup.client(await TestClient.connect(server));
      victim.emit('spam');
      victim.emit('spam');
      victim.emit('spam');
      expect((await victim.nextError()).data).toMatchObject({ code: 'ERR_RATE_001' });
      await reported;
      expect(errors[0]?.message).toBe('db password is hunter2');
      await stillServing(bystander);
    });
  });

  describe('ack callbacks', () => {
    it('socket.emit(ev, data, ack) answered by the client', async () => {
      const { server, errors, reported } = await setup();
      const victim = cleanup.client(await TestClient.connect(server));
      const socket = server.sockets.get(victim.id)!;
      socket.emit('question', 1, bad());
      const asked = await victim.nextEvent('question');
      victim.ack(asked.ackId!, 'answer');
      await reported;
      expect(errors[0]?.message).toBe('db password is hunter2');
      await stillServing(victim);
    });

    it('socket.timeout(ms).emit(ev, data, ack) timing out (a timer)', async () => {
      const { server, errors, reported } = await setup();
      const victim = cleanup.client(await TestClient.connect(server));
      server.sockets.get(victim.id)!.timeout(30).emit('question', 1, bad());
      await victim.nextEvent('question');
      await reported;
      expect(errors[0]?.message).toBe('db password is hunter2');
      await stillServing(victim);
    });

    it('socket acks of a socket that disconnects (clean-up still done)', async () => {
      const { server, errors, reported } = await setup();
      const bystander = cleanup.client(await TestClient.connect(server));
      const victim = cleanup.client(await TestClient.connect(server));
      const socket = server.sockets.get(victim.id)!;
      socket.timeout(60_000).emit('question', 1, bad());
      await victim.nextEvent('question');
      await victim.close();
      await reported;
      expect(errors[0]?.message).toBe('db password is hunter2');
      await vi.waitFor(() => expect(server.sockets.has(victim.id)).toBe(false));
      expect(server.getConnectionStats().active).toBe(1);
      await stillServing(bystander);
    });

    it('a broadcast with acks: server.timeout(ms).emit(ev, data, ack)', async () => {
      const { server, errors, reported } = await setup();
      const victim = cleanup.client(await TestClient.connect(server));
      server.timeout(30).emit('question', 1, bad());
      await victim.nextEvent('question');
      await reported;
      expect(errors[0]?.message).toBe('db password is hunter2');
      await stillServing(victim);
    });
  });

  it('server.listen(cb) is reported', async () => {
    const { logger } = recordingLogger();
    const server = cleanup.server(new SmartSocket({ host: '127.0.0.1', port: 0, logger }));
    const { errors, reported } = watch(server);
    await server.listen(bad());
    await reported;
    expect(errors[0]?.message).toBe('db password is hunter2');
    await stillServing(cleanup.client(await TestClient.connect(server)));
  });

  describe('an adapter whose calls fail', () => {
    const methods = ['addAll', 'del', 'delAll'] as const;
    it.each(methods)('%s: reported, never discarded; the socket keeps working', async (method) => {
      const fail = bad();
      const maybeFail = (name: string) => (name === method ? fail() : undefined);
      class Faulty extends InMemoryAdapter {
        override addAll(id: string, rooms: Iterable<string>): void | Promise<void> {
          super.addAll(id, rooms);
          return maybeFail('addAll');
        }
        override del(id: string, room: string): void | Promise<void> {
          super.del(id, room);
          return maybeFail('del');
        }
        override delAll(id: string): void | Promise<void> {
          super.delAll(id);
          return maybeFail('delAll');
        }
      }
      const { server, errors, reported } = await setup({ adapter: (nsp) => new Faulty(nsp) });
      const bystander = cleanup.client(await TestClient.connect(server));
      const victim = cleanup.client(await TestClient.connect(server));
      expect((await victim.request('join', 'room-a')).data).toBe(true);
      server.sockets.get(victim.id)!.leave('room-a');
      await victim.close();
      await reported;
      expect(errors[0]?.message).toBe('db password is hunter2');
      await vi.waitFor(() => expect(server.sockets.has(victim.id)).toBe(false));
      await stillServing(bystander);
    });
  });

  describe('serverSideEmit', () => {
    async function cluster() {
      const bus = createInProcessBus();
      const opts = { heartbeatInterval: 50, heartbeatTimeout: 400, requestTimeout: 300 };
      const { logger } = recordingLogger();
      const nodes: ReturnType<typeof watch>[] = [];
      for (let i = 0; i < 2; i++) {
        const server = cleanup.server(
          new SmartSocket({
            host: '127.0.0.1',
            port: 0,
            logger,
            adapter: createClusterAdapter(bus(), opts),
          }),
        );
        await server.start();
        nodes.push(watch(server));
      }
      await vi.waitFor(() => {
        for (const n of nodes) expect(n.server.namespace('/').adapter.serverCount()).toBe(2);
      });
      return nodes as [ReturnType<typeof watch>, ReturnType<typeof watch>];
    }

    it('a handler of namespace.onServerSideEmit is reported on its server', async () => {
      const [a, b] = await cluster();
      b.server.namespace('/').onServerSideEmit('hello', bad());
      a.server.namespace('/').serverSideEmit('hello', 1);
      await b.reported;
      expect(b.errors[0]?.message).toBe('db password is hunter2');
      await stillServing(cleanup.client(await TestClient.connect(b.server)));
    });

    it('the ack callback of serverSideEmit is reported on the emitting server', async () => {
      const [a, b] = await cluster();
      b.server.namespace('/').onServerSideEmit('ask', (ack: (r: unknown) => void) => ack('yes'));
      a.server.namespace('/').serverSideEmit('ask', bad());
      await a.reported;
      expect(a.errors[0]?.message).toBe('db password is hunter2');
      await stillServing(cleanup.client(await TestClient.connect(a.server)));
    });
  });
});

describe.each(KINDS)('a disconnected listener that %s', (_kind, bad) => {
  const registrars: [string, (server: SmartSocket, fn: Bad) => void][] = [
    ["server.on('disconnected')", (s, fn) => s.on('disconnected', fn)],
    ["namespace.on('disconnected')", (s, fn) => s.namespace('/').on('disconnected', fn)],
    ["socket.on('disconnected')", (s, fn) => s.on('connected', (so) => so.on('disconnected', fn))],
    ["socket.on('disconnect')", (s, fn) => s.on('connected', (so) => so.on('disconnect', fn))],
  ];
  const paths: [
    string,
    SmartSocketOptions,
    { key?: string },
    (server: SmartSocket, victim: TestClient) => Promise<void> | void,
  ][] = [
    ['a TCP drop', {}, {}, (_s, victim) => victim.ws.terminate()],
    [
      'the heartbeat sweeper',
      { connectionTimeout: 150, heartbeatTimeout: 150 },
      {},
      (_s, victim) => {
        victim.autoPong = false;
      },
    ],
    [
      'the key-rotation timer',
      { encryptionKey: OLD, keyRotationGracePeriod: 100 },
      { key: OLD },
      (server) => server.rotateEncryptionKey(NEW),
    ],
  ];
  for (const [path, options, victimOpts, drop] of paths) {
    it.each(registrars)(
      `%s, reached from ${path}: clean-up done, others unaffected`,
      async (_n, add) => {
        const { server, errors, reported } = await setup(options);
        add(server, bad());
        const victim = cleanup.client(await TestClient.connect(server, victimOpts));
        expect((await victim.request('join', 'room-a')).data).toBe(true);
        expect(server.namespace('/').adapter.rooms.get('room-a')?.size).toBe(1);
        await drop(server, victim);
        // The bystander uses the key that stays current.
        const bystander = cleanup.client(
          await TestClient.connect(server, options.encryptionKey ? { key: NEW } : {}),
        );
        await reported;
        expect(errors[0]?.message).toBe('db password is hunter2');
        await vi.waitFor(() => expect(server.sockets.has(victim.id)).toBe(false), {
          timeout: 5000,
        });
        expect(server.namespace('/').adapter.rooms.has('room-a')).toBe(false);
        expect(server.namespace('/').adapter.rooms.has(victim.id)).toBe(false);
        expect(server.getConnectionStats().active).toBe(1);
        expect(server.getStats().connections).toBe(1);
        await stillServing(bystander);
      },
    );
  }
});

describe('emitWithAck awaited by app code', () => {
  it('a rejection (ack timeout) left uncaught in an async handler is reported', async () => {
    const { server, errors, reported } = await setup();
    server.on('work', async (socket) => {
      await socket.emitWithAck('question', 1, { timeout: 30 });
    });
    server.on('connected', async () => {
      await server.timeout(30).emitWithAck('everyone', 1);
    });
    const victim = cleanup.client(await TestClient.connect(server));
    victim.emit('work');
    await victim.nextEvent('question');
    await vi.waitFor(() =>
      expect(errors.map((e) => (e as SmartSocketError).code)).toEqual([
        'ERR_ACK_001',
        'ERR_ACK_001',
      ]),
    );
    await reported;
    await stillServing(victim);
  });
});

describe('an error listener that throws', () => {
  it('is logged, not thrown, and does not loop', async () => {
    const { logger, lines } = recordingLogger();
    const server = await startServer(cleanup, { logger });
    server.on('error', () => {
      throw new Error('the error listener is broken too');
    });
    server.on('work', () => {
      throw new Error('handler bug');
    });
    server.on('ping', (_s, data, ack) => ack?.(data));
    const client = cleanup.client(await TestClient.connect(server));
    client.emit('work');
    await stillServing(client);
    expect(lines.error.join('\n')).toContain('handler bug');
    expect(lines.error.join('\n')).toContain('the error listener is broken too');
  });

  it('with no error listener at all, a failure is logged and nothing throws', async () => {
    const { logger, lines } = recordingLogger();
    const server = await startServer(cleanup, { logger });
    server.on('connected', async () => {
      throw new Error('nobody listens');
    });
    server.on('ping', (_s, data, ack) => ack?.(data));
    const client = cleanup.client(await TestClient.connect(server));
    await stillServing(client);
    await vi.waitFor(() => expect(lines.error.join('\n')).toContain('nobody listens'));
  });
});
