// Compression and encryption end to end with the real @smartsocket/client (loaded by path, as in
// client-interop.test.ts): matching and wrong keys, deflate both ways, a key rotation.
import { generateKey } from '@smartsocket/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from '../src/index.js';
import { type AnyClient, realClient } from './helpers/real-client.js';
import { Cleanup, once, startServer } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const KEY = generateKey();
const BIG = { rows: Array.from({ length: 200 }, (_, i) => ({ id: i, name: 'player', score: 0 })) };

const client = (port: number, options?: Record<string, unknown>): Promise<AnyClient> =>
  realClient(cleanup, port, options);

describe('with @smartsocket/client: compression and encryption', () => {
  it('matching keys and deflate: big payloads round-trip compressed and sealed', async () => {
    const server = await startServer(cleanup, { encryptionKey: KEY });
    server.on('save', (_socket, data, ack) => ack?.(data));
    const connected = once<[Socket]>(server, 'connected');
    const c = await client(server.port, { encryptionKey: KEY });
    await c.connect();
    const [socket] = await connected;
    expect(socket.handshake.caps.compression).toEqual(['deflate']);
    expect(await c.emitWithAck('save', BIG)).toEqual(BIG);
    const news = new Promise((resolve) => c.on('news', resolve));
    server.emit('news', BIG);
    expect(await news).toEqual(BIG);
    const t = server.getStats().transmission;
    expect(t.compressedFrames).toBe(2);
    expect(t.bytesIn).toBeLessThan(Buffer.byteLength(JSON.stringify(BIG)));
  });

  it('a wrong key rejects connect() with ERR_CONN_004 and does not retry', async () => {
    const server = await startServer(cleanup, { encryptionKey: KEY });
    const c = await client(server.port, {
      encryptionKey: generateKey(),
      maxReconnectAttempts: 5,
      reconnectDelay: 10,
    });
    let retries = 0;
    c.on('reconnecting', () => retries++);
    await expect(c.connect()).rejects.toMatchObject({ code: 'ERR_CONN_004' });
    expect(retries).toBe(0);
    expect(server.getConnectionStats().rejected).toBe(1);
  });

  it('a client without encryption is refused by a server that requires it', async () => {
    const server = await startServer(cleanup, { encryptionKey: KEY });
    const c = await client(server.port);
    await expect(c.connect()).rejects.toMatchObject({ code: 'ERR_CONN_004' });
  });

  it('rotation: the client reconnects with the key its key function returns', async () => {
    const server = await startServer(cleanup, {
      encryptionKey: KEY,
      keyRotationGracePeriod: 300,
    });
    server.on('echo', (_socket, data, ack) => ack?.(data));
    let current = KEY;
    const c = await client(server.port, {
      encryptionKey: () => current,
      maxReconnectAttempts: 5,
      reconnectDelay: 20,
    });
    await c.connect();
    const next = generateKey();
    current = next;
    server.rotateEncryptionKey(next);
    expect(await c.emitWithAck('echo', 'during grace')).toBe('during grace');
    await new Promise((resolve) => c.once('reconnected', resolve));
    expect(await c.emitWithAck('echo', 'after')).toBe('after');
  });
});
