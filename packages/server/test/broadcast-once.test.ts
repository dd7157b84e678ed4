// A broadcast is compressed once and sealed once per (compression, key) group, however many
// recipients: counted on node:zlib and @smartsocket/crypto, and checked byte for byte.
import { generateKey } from '@smartsocket/crypto';
import { FrameFlag } from '@smartsocket/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cleanup, startServer, TestClient } from './helpers/test-client.js';

const calls = vi.hoisted(() => ({ deflate: 0, seal: 0 }));

vi.mock('node:zlib', async (importOriginal) => {
  const zlib = await importOriginal<typeof import('node:zlib')>();
  const deflateRawSync = ((...args: Parameters<typeof zlib.deflateRawSync>) => {
    calls.deflate++;
    return zlib.deflateRawSync(...args);
  }) as typeof zlib.deflateRawSync;
  return { ...zlib, deflateRawSync, default: { ...zlib, deflateRawSync } };
});

vi.mock('@smartsocket/crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('@smartsocket/crypto')>();
  const sealFrame: typeof crypto.sealFrame = (...args) => {
    calls.seal++;
    return crypto.sealFrame(...args);
  };
  return { ...crypto, sealFrame };
});

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const KEY = generateKey();
const BIG = { rows: Array.from({ length: 200 }, (_, i) => ({ id: i, name: 'player', score: 0 })) };
const N = 6;

describe('broadcast: encoded, compressed and sealed once per group', () => {
  it('compresses once for every deflate recipient; plain recipients get the plain frame', async () => {
    const server = await startServer(cleanup);
    const zipped = [];
    const plain = [];
    for (let i = 0; i < N; i++) {
      zipped.push(cleanup.client(await TestClient.connect(server, { deflate: true })));
      plain.push(cleanup.client(await TestClient.connect(server)));
    }
    calls.deflate = 0;
    server.emit('news', BIG);
    const got = await Promise.all(zipped.map((c) => c.nextEvent('news')));
    const raw = await Promise.all(plain.map((c) => c.nextEvent('news')));
    expect(calls.deflate).toBe(1);
    for (const f of got) {
      expect(f.flags & FrameFlag.COMPRESSED).toBe(FrameFlag.COMPRESSED);
      expect(Buffer.from(f.raw).equals(Buffer.from(got[0]!.raw))).toBe(true);
    }
    for (const f of raw) expect(f.flags & FrameFlag.COMPRESSED).toBe(0);
  });

  it('seals once per (compression, key) group and compresses once in all', async () => {
    const server = await startServer(cleanup, { encryptionKey: KEY });
    const groups = { zipped: [] as TestClient[], plain: [] as TestClient[] };
    for (let i = 0; i < N; i++) {
      groups.zipped.push(
        cleanup.client(await TestClient.connect(server, { key: KEY, deflate: true })),
      );
      groups.plain.push(cleanup.client(await TestClient.connect(server, { key: KEY })));
    }
    calls.deflate = 0;
    calls.seal = 0;
    server.emit('news', BIG);
    for (const clients of Object.values(groups)) {
      const frames = await Promise.all(clients.map((c) => c.nextEvent('news')));
      for (const f of frames) {
        expect(f.data).toEqual(BIG);
        expect(Buffer.from(f.raw).equals(Buffer.from(frames[0]!.raw))).toBe(true);
      }
    }
    expect(calls.deflate).toBe(1);
    expect(calls.seal).toBe(2);
  });
});
