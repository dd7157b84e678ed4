// Every server configuration shown in the original SmartSocket documents constructs, and the
// options they introduced mean something: messageTimeout, the announced reconnection policy.
import { readFileSync } from 'node:fs';
import { generateKey } from '@smartsocket/crypto';
import { FrameType, SmartSocketError } from '@smartsocket/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { SmartSocket, type SmartSocketOptions } from '../src/index.js';
import { realClient } from './helpers/real-client.js';
import { Cleanup, once, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const key = generateKey();
const env = { PORT: undefined as string | undefined, ENCRYPTION_KEY: key };
const httpsServer = { listen() {} } as unknown as SmartSocketOptions['server'];

// The configurations as the documents write them (process.env replaced by `env`).
const documented: [string, SmartSocketOptions | number, SmartSocketOptions?][] = [
  ['attach to an https server', { port: 3000, server: httpsServer }],
  ['connection timeout', { connectionTimeout: 30000 }],
  ['compression tuning', { compressionThreshold: 512, compressionLevel: 6 }],
  [
    'allowed origins',
    { port: 3000, allowedOrigins: ['http://localhost:3000', 'https://myapp.com'] },
  ],
  ['bind every interface', { port: 3000, host: '0.0.0.0' }],
  [
    'production',
    {
      port: Number(env.PORT || 3000),
      host: '0.0.0.0',
      enableEncryption: true,
      encryptionKey: env.ENCRYPTION_KEY,
      enableRateLimiting: true,
      rateLimitMaxRequests: 1000,
      maxConnections: 50000,
      compressionLevel: 9,
      connectionTimeout: 60000,
    },
  ],
  ['port only', { port: 3000 }],
  [
    'trusted broadcasts',
    { compressionLevel: 1, compressionThreshold: 2048, enableRateLimiting: false },
  ],
  [
    'small messages',
    { compressionLevel: 9, compressionThreshold: 512, enableConnectionPooling: true },
  ],
  ['slow networks', { connectionTimeout: 60000 }],
  [
    'encryption from the environment',
    { enableEncryption: true, encryptionKey: env.ENCRYPTION_KEY },
  ],
  [
    'rate limiting',
    { enableRateLimiting: true, rateLimitWindow: 60000, rateLimitMaxRequests: 100 },
  ],
  ['rate limiting on', { enableRateLimiting: true }],
  ['pooling', { enableConnectionPooling: true, maxConnections: 10000 }],
  [
    'high throughput',
    { compressionLevel: 1, rateLimitMaxRequests: 10000, connectionTimeout: 5000 },
  ],
  [
    'many connections',
    { compressionLevel: 9, maxConnections: 50000, enableConnectionPooling: true },
  ],
  ['connection cap', { maxConnections: 5000 }],
  ['port first', 8080],
  [
    'port first with the README options',
    8080,
    {
      enableCompression: true,
      enableMetrics: true,
      maxConnections: 10000,
      enableEncryption: false,
      messageTimeout: 30000,
      reconnectDelay: 1000,
      maxReconnectAttempts: 10,
    },
  ],
];

describe('configurations of the original documents', () => {
  it.each(documented)('constructs: %s', (_name, first, second) => {
    const server =
      typeof first === 'number' ? new SmartSocket(first, second) : new SmartSocket(first);
    expect(server.options.port).toBeGreaterThan(0);
  });

  it('the documents list exactly these server options (none is unknown to us)', () => {
    const seeds = new URL('../../../../shared/seeds/', import.meta.url);
    let text = '';
    try {
      text = readFileSync(new URL('001_a5fbcd0dd536a670.txt', seeds), 'utf8');
    } catch {
      return; // The documents live beside the repository, not in it; nothing to compare here.
    }
    const table = text.slice(
      text.indexOf('### Server Options'),
      text.indexOf('### Client Options'),
    );
    const names = [...table.matchAll(/^\| `(\w+)`/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) {
      const value = name === 'encryptionAlgorithm' ? 'aes-256-gcm' : undefined;
      expect(() => new SmartSocket({ [name]: value } as SmartSocketOptions)).not.toThrow();
    }
  });

  it("still refuses encryptionAlgorithm 'aes-256-cbc', saying why and what to use", () => {
    const cbc = {
      enableEncryption: true,
      encryptionKey: env.ENCRYPTION_KEY,
      encryptionAlgorithm: 'aes-256-cbc',
    } as unknown as SmartSocketOptions;
    let err: unknown;
    try {
      new SmartSocket(cbc);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SmartSocketError);
    expect((err as SmartSocketError).code).toBe('ERR_CONFIG_001');
    expect((err as Error).message).toMatch(/does not authenticate/);
    expect((err as Error).message).toMatch(/'aes-256-gcm'/);
  });
});

describe('messageTimeout', () => {
  it('is the default timeout of socket.emitWithAck and of broadcasts with acks', async () => {
    const server = await startServer(cleanup, { messageTimeout: 50 });
    const connected = once<[import('../src/index.js').Socket]>(server, 'connected');
    cleanup.client(await TestClient.connect(server)); // never answers acks
    const [socket] = await connected;
    const err = await socket.emitWithAck('question', 1).catch((e: SmartSocketError) => e);
    expect((err as SmartSocketError).code).toBe('ERR_ACK_001');
    const started = Date.now();
    const all = await server.emitWithAck('question', 2).catch((e: SmartSocketError) => e);
    expect((all as SmartSocketError).code).toBe('ERR_ACK_001');
    // Well before the 30 s default: the configured 50 ms applied (generous for a loaded machine).
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('reconnectDelay / maxReconnectAttempts', () => {
  it('are announced in the CONNECT answer (null: unlimited) and absent when not set', async () => {
    const plain = await startServer(cleanup);
    const a = cleanup.client(await TestClient.open(plain));
    const plainAnswer = await a.handshake();
    expect(plainAnswer.type).toBe(FrameType.CONNECT);
    expect(plainAnswer.data).not.toHaveProperty('reconnect');
    const set = await startServer(cleanup, { reconnectDelay: 1234, maxReconnectAttempts: 3 });
    const b = cleanup.client(await TestClient.open(set));
    expect((await b.handshake()).data).toMatchObject({
      reconnect: { delay: 1234, maxAttempts: 3 },
    });
    const unlimited = await startServer(cleanup, { maxReconnectAttempts: Infinity });
    const c = cleanup.client(await TestClient.open(unlimited));
    expect((await c.handshake()).data).toMatchObject({ reconnect: { maxAttempts: null } });
  });

  it('become the policy of a client that set none, not of one that set its own', async () => {
    const server = await startServer(cleanup, { reconnectDelay: 40, maxReconnectAttempts: 0 });
    const port = server.port;
    // The helper sets maxReconnectAttempts: 0 itself; drop it so the server's policy applies.
    const announced = await realClient(cleanup, port, {
      maxReconnectAttempts: undefined,
      randomizationFactor: 0,
    });
    const own = await realClient(cleanup, port, {
      maxReconnectAttempts: 1,
      reconnectDelay: 30,
      randomizationFactor: 0,
    });
    await announced.connect();
    await own.connect();
    const gaveUp = once<[number]>(announced, 'max-reconnect-attempts-reached');
    const retrying = once<[number, number]>(own, 'reconnecting');
    await server.stop();
    expect((await gaveUp)[0]).toBe(0); // the server's maxReconnectAttempts: 0
    expect(await retrying).toEqual([1, 30]); // its own policy
  });
});
