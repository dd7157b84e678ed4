// Faulty app code on the client: listeners, ack callbacks and the encryptionKey function that
// throw or reject are reported on `error` and the logger, and never crash the host.
import { generateKey } from '@smartsocket/crypto';
import { SmartSocket, type SmartSocketOptions } from '@smartsocket/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SmartSocketClient } from '../src/index.js';
import { makeClient, memoryLogger, next } from './helpers/setup.js';

const servers: SmartSocket[] = [];
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
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  process.off('uncaughtException', onFault);
  process.off('unhandledRejection', onFault);
});

async function startServer(options: SmartSocketOptions = {}) {
  const server = new SmartSocket({
    host: '127.0.0.1',
    port: 0,
    logger: memoryLogger(),
    ...options,
  });
  servers.push(server);
  await server.start();
  server.on('echo', (_s: any, data: unknown, ack: any) => ack?.(data));
  return { server, url: `ws://127.0.0.1:${server.port}` };
}

type Bad = (...args: any[]) => any;
const KINDS: [string, () => Bad][] = [
  [
    'throws',
    () => () => {
      throw new Error('listener bug');
    },
  ],
  [
    'rejects',
    () => async () => {
      throw new Error('listener bug');
    },
  ],
];

/** The first `error` event caused by app code (its cause is what the app threw). */
function appError(client: SmartSocketClient<any, any>): Promise<Error> {
  return new Promise((resolve) =>
    client.on('error', (err: Error) => {
      const cause = (err as { cause?: unknown }).cause;
      if (cause instanceof Error && cause.message === 'listener bug') resolve(err);
    }),
  );
}

/** The session still works (a later round trip) and nothing escaped to the process. */
async function stillWorking(client: SmartSocketClient<any, any>): Promise<void> {
  expect(await client.emitWithAck('echo', 'later')).toBe('later');
  expect(faults).toEqual([]);
}

describe.each(KINDS)('a client callback that %s', (_kind, bad) => {
  it('a listener of a server event: reported; the other listeners and later events still run', async () => {
    const { server, url } = await startServer();
    const logger = memoryLogger();
    const client = makeClient(url, { logger });
    const reported = appError(client);
    client.on('news', bad());
    const seen: unknown[] = [];
    client.on('news', (d: unknown) => seen.push(d));
    const connected = new Promise<any>((resolve) => server.on('connected', resolve));
    await client.connect();
    const socket = await connected;
    socket.emit('news', 1);
    const err = await reported;
    expect((err as { code?: string }).code).toBe('ERR_CONFIG_001');
    expect(logger.lines.join('\n')).toContain('listener bug');
    socket.emit('news', 2);
    await vi.waitFor(() => expect(seen).toEqual([1, 2]));
    await stillWorking(client);
  });

  it("a 'connected' listener: reported; connect() still resolves", async () => {
    const { url } = await startServer();
    const client = makeClient(url);
    const reported = appError(client);
    client.on('connected', bad());
    await client.connect();
    await reported;
    await stillWorking(client);
  });

  it("'disconnected' and 'reconnected' listeners: reported; the client reconnects", async () => {
    const { server, url } = await startServer();
    const client = makeClient(url);
    const reported: Error[] = [];
    client.on('error', (err: Error) => {
      if ((err as { cause?: Error }).cause?.message === 'listener bug') reported.push(err);
    });
    client.on('disconnected', bad());
    client.on('reconnected', bad());
    const first = new Promise<any>((resolve) => server.on('connected', resolve));
    await client.connect();
    const reconnected = next(client, 'reconnected');
    // Dropping the TCP connection: the client sees a lost connection and reconnects.
    (await first).conn.transport.terminate();
    await reconnected;
    await vi.waitFor(() => expect(reported).toHaveLength(2));
    await stillWorking(client);
  });

  it("'reconnecting' and 'max-reconnect-attempts-reached' listeners: reported; connect() rejects", async () => {
    const { server, url } = await startServer();
    await server.stop();
    const client = makeClient(url, { maxReconnectAttempts: 1 });
    const reported: Error[] = [];
    client.on('error', (err: Error) => {
      if ((err as { cause?: Error }).cause?.message === 'listener bug') reported.push(err);
    });
    client.on('reconnecting', bad());
    client.on('max-reconnect-attempts-reached', bad());
    await expect(client.connect()).rejects.toMatchObject({ code: 'ERR_CONN_001' });
    await vi.waitFor(() => expect(reported).toHaveLength(2));
    expect(faults).toEqual([]);
  });

  it('an ack callback answered by the server', async () => {
    const { url } = await startServer();
    const client = makeClient(url);
    const reported = appError(client);
    await client.connect();
    client.emit('echo', 1, bad());
    await reported;
    await stillWorking(client);
  });

  it('an ack callback whose ack times out (a timer)', async () => {
    const { server, url } = await startServer();
    server.on('silent', () => {});
    const client = makeClient(url, { ackTimeout: 30 });
    const reported = appError(client);
    await client.connect();
    client.emit('silent', 1, bad());
    await reported;
    await stillWorking(client);
  });

  it('the encryptionKey function: reported as ERR_CONFIG_001; connect() rejects', async () => {
    const key = generateKey();
    const { url } = await startServer({ encryptionKey: key });
    const client = makeClient(url, { enableEncryption: true, encryptionKey: bad() });
    const errors: Error[] = [];
    client.on('error', (err: Error) => errors.push(err));
    await expect(client.connect()).rejects.toMatchObject({ code: 'ERR_CONFIG_001' });
    expect(errors.map((e) => (e as { code?: string }).code)).toContain('ERR_CONFIG_001');
    expect(faults).toEqual([]);
  });

  it("an 'error' listener: logged, never thrown, never looping", async () => {
    const { server, url } = await startServer();
    const logger = memoryLogger();
    const client = makeClient(url, { logger });
    client.on('error', bad());
    client.on('news', () => {
      throw new Error('news bug');
    });
    const connected = new Promise<any>((resolve) => server.on('connected', resolve));
    await client.connect();
    (await connected).emit('news', 1);
    await vi.waitFor(() => expect(logger.lines.join('\n')).toContain('"error" listener threw'));
    expect(logger.lines.join('\n')).toContain('news bug');
    await stillWorking(client);
  });
});

describe('emitWithAck awaited by app code', () => {
  it('a rejection left uncaught in an async listener is reported', async () => {
    const { server, url } = await startServer();
    server.on('silent', () => {});
    const client = makeClient(url);
    const errors: Error[] = [];
    client.on('error', (err: Error) => errors.push(err));
    client.on('news', async () => {
      await client.emitWithAck('silent', 1, { timeout: 30 });
    });
    const connected = new Promise<any>((resolve) => server.on('connected', resolve));
    await client.connect();
    (await connected).emit('news', 1);
    await vi.waitFor(() =>
      expect(errors.map((e) => (e as { code?: string }).code)).toContain('ERR_ACK_001'),
    );
    await stillWorking(client);
  });
});

describe('rate-limit refusals on the client', () => {
  async function refused(listen: boolean) {
    const { url } = await startServer({ rateLimitMaxRequests: 2 });
    const logger = memoryLogger();
    const client = makeClient(url, { logger });
    if (listen) client.on('__rate-limited__', () => {});
    await client.connect();
    for (let i = 0; i < 10; i++) client.emit('spam', i);
    // Refused as well, and answered after every refusal before it: the marker.
    await expect(client.emitWithAck('echo', 'x')).rejects.toMatchObject({ code: 'ERR_RATE_001' });
    return logger.lines.filter((l) => l.startsWith('warn') && l.includes('ERR_RATE_001'));
  }

  it('are logged at warn once per window when nobody listens', async () => {
    expect(await refused(false)).toHaveLength(1);
  });

  it('are not logged when the app listens for __rate-limited__', async () => {
    expect(await refused(true)).toHaveLength(0);
  });
});
