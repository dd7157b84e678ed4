// rotateEncryptionKey: new key at once, old sockets served for the grace period, then asked to
// reconnect; the old key is refused after it. One timer per rotation, cleared by stop().
import { generateKey } from '@smartsocket/crypto';
import { FrameType } from '@smartsocket/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SmartSocket } from '../src/index.js';
import { Cleanup, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const OLD = generateKey();
const NEW = generateKey();

async function refusedCode(server: SmartSocket, key: string): Promise<unknown> {
  const client = cleanup.client(await TestClient.open(server, { key }));
  const answer = await client.handshake();
  return answer.type === FrameType.ERROR ? (answer.data as { code: string }).code : 'accepted';
}

describe('rotateEncryptionKey', () => {
  it('new key at once; old sockets work during the grace period, then reconnect', async () => {
    const server = await startServer(cleanup, {
      encryptionKey: OLD,
      keyRotationGracePeriod: 800,
    });
    server.on('echo', (_s, data, ack) => ack?.(data));
    const early = cleanup.client(await TestClient.connect(server, { key: OLD }));
    server.rotateEncryptionKey(NEW);
    const fresh = cleanup.client(await TestClient.connect(server, { key: NEW }));
    // Within the grace period the old key still opens CONNECTs and serves its sockets.
    const late = cleanup.client(await TestClient.connect(server, { key: OLD }));
    expect((await early.request('echo', 1)).data).toBe(1);
    expect((await late.request('echo', 2)).data).toBe(2);
    // After it, old-key sockets are asked to reconnect (DISCONNECT sealed with their key).
    for (const c of [early, late]) {
      const bye = await c.next((f) => f.type === FrameType.DISCONNECT, 5000);
      expect(bye.data).toEqual({ reason: 'key rotated', reconnect: true });
      await c.closed;
    }
    expect(await refusedCode(server, OLD)).toBe('ERR_CONN_004');
    expect((await fresh.request('echo', 3)).data).toBe(3);
    expect(fresh.frames.some((f) => f.type === FrameType.DISCONNECT)).toBe(false);
    expect(await refusedCode(server, NEW)).toBe('accepted');
  });

  it('grace period 0 retires the old key at once', async () => {
    const server = await startServer(cleanup, { encryptionKey: OLD, keyRotationGracePeriod: 0 });
    const old = cleanup.client(await TestClient.connect(server, { key: OLD }));
    server.rotateEncryptionKey(NEW);
    const bye = await old.next((f) => f.type === FrameType.DISCONNECT);
    expect(bye.data).toEqual({ reason: 'key rotated', reconnect: true });
    expect(await refusedCode(server, OLD)).toBe('ERR_CONN_004');
  });

  it('validates the key, the option, and needs encryption on (ERR_CONFIG_001)', async () => {
    const server = cleanup.server(new SmartSocket({ encryptionKey: OLD }));
    const config = expect.objectContaining({ code: 'ERR_CONFIG_001' });
    expect(() => server.rotateEncryptionKey('not-a-key')).toThrow(config);
    expect(() => server.rotateEncryptionKey(Buffer.alloc(16).toString('base64'))).toThrow(config);
    const plain = cleanup.server(new SmartSocket({ enableEncryption: false }));
    expect(() => plain.rotateEncryptionKey(NEW)).toThrow(config);
    expect(() => new SmartSocket({ encryptionKey: OLD, keyRotationGracePeriod: -1 })).toThrow(
      config,
    );
    expect(new SmartSocket({ encryptionKey: OLD }).options.keyRotationGracePeriod).toBe(60_000);
  });

  it('one timer per rotation (none per socket); stop() clears it', async () => {
    const server = new SmartSocket({ encryptionKey: OLD, keyRotationGracePeriod: 60_000 });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      server.rotateEncryptionKey(NEW);
      expect(vi.getTimerCount()).toBe(1);
      await server.stop();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
