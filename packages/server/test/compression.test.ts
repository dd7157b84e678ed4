// Compression end to end over real sockets: negotiation, the 10 % rule, compress(false), bounded
// inflate (decompression bomb), stats; and compression combined with sealing.
import { randomBytes } from 'node:crypto';
import { constants, deflateRawSync } from 'node:zlib';
import { generateKey } from '@smartsocket/crypto';
import { FrameFlag, FrameType } from '@smartsocket/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const KEY = generateKey();
const MB = 1024 * 1024;
/** A compressible payload of about 8 KB. */
const BIG = { rows: Array.from({ length: 200 }, (_, i) => ({ id: i, name: 'player', score: 0 })) };
const isCompressed = (f: { flags: number }): boolean => (f.flags & FrameFlag.COMPRESSED) !== 0;

/** Raw DEFLATE of `mb` MiB of zeros, built from one 1 MiB block so the test never holds it. */
function bomb(mb: number): Uint8Array {
  const block = deflateRawSync(Buffer.alloc(MB), {
    level: 9,
    finishFlush: constants.Z_SYNC_FLUSH,
  });
  return Buffer.concat([
    ...Array.from({ length: mb }, () => block),
    deflateRawSync(Buffer.alloc(0)),
  ]);
}

describe('compression: negotiation and the send side', () => {
  it('answers caps.compression ["deflate"] only to a client that announced it', async () => {
    const server = await startServer(cleanup);
    const a = cleanup.client(await TestClient.connect(server, { deflate: true }));
    const b = cleanup.client(await TestClient.connect(server));
    const caps = (c: TestClient) =>
      (c.frames.find((f) => f.type === FrameType.CONNECT)!.data as { caps: unknown }).caps;
    expect(caps(a)).toEqual({ compression: ['deflate'], binary: true });
    expect(caps(b)).toEqual({ compression: [], binary: true });
    const off = await startServer(cleanup, { enableCompression: false });
    const c = cleanup.client(await TestClient.connect(off, { deflate: true }));
    expect(caps(c)).toEqual({ compression: [], binary: true });
  });

  it('shrinks a compressible payload on the wire and round-trips it; stats are real', async () => {
    const server = await startServer(cleanup);
    const client = cleanup.client(await TestClient.connect(server, { deflate: true }));
    server.sockets.get(client.id)!.emit('big', BIG);
    const f = await client.nextEvent('big');
    const plainLength = Buffer.byteLength(JSON.stringify(BIG));
    expect(isCompressed(f)).toBe(true);
    expect(f.section.length).toBeLessThan(plainLength / 5);
    expect(f.data).toEqual(BIG);
    const t = server.getStats().transmission;
    expect(t.compressedFrames).toBe(1);
    expect(t.plainBytesOut - t.bytesOut).toBe(plainLength - f.section.length);
    expect(Number.parseFloat(t.averageCompression)).toBeGreaterThan(80);
    expect(Number.parseFloat(t.bandwidthSaved)).toBeGreaterThan(50);
  });

  it('sends small, incompressible and compress(false) payloads uncompressed', async () => {
    const server = await startServer(cleanup);
    const client = cleanup.client(await TestClient.connect(server, { deflate: true }));
    const socket = server.sockets.get(client.id)!;
    socket.emit('small', { text: 'x'.repeat(900) });
    socket.emit('binary', randomBytes(4096));
    socket.compress(false).emit('secret', BIG);
    server.compress(false).emit('secret-broadcast', BIG);
    for (const event of ['small', 'binary', 'secret', 'secret-broadcast'])
      expect(isCompressed(await client.nextEvent(event)), event).toBe(false);
    expect(server.getStats().transmission.compressedFrames).toBe(0);
  });

  it('respects compressionThreshold and compresses binary attachments when it pays', async () => {
    const server = await startServer(cleanup, { compressionThreshold: 100 });
    const client = cleanup.client(await TestClient.connect(server, { deflate: true }));
    const socket = server.sockets.get(client.id)!;
    socket.emit('medium', { text: 'y'.repeat(300) });
    socket.emit('zeros', { bin: new Uint8Array(2000) });
    expect(isCompressed(await client.nextEvent('medium'))).toBe(true);
    const zeros = await client.nextEvent('zeros');
    expect(isCompressed(zeros)).toBe(true);
    expect(zeros.flags & FrameFlag.BINARY).toBe(FrameFlag.BINARY);
    expect((zeros.data as { bin: Uint8Array }).bin).toEqual(new Uint8Array(2000));
  });

  it('never sends a COMPRESSED frame to a client without deflate, broadcasts included', async () => {
    const server = await startServer(cleanup);
    server.on('join', (socket, room: string, ack) => {
      socket.join(room);
      ack?.(true);
    });
    const withDeflate = cleanup.client(await TestClient.connect(server, { deflate: true }));
    const without = cleanup.client(await TestClient.connect(server));
    for (const c of [withDeflate, without]) await c.request('join', 'room');
    server.emit('all', BIG);
    server.to('room').emit('room', BIG);
    server.sockets.get(without.id)!.emit('direct', BIG);
    server.sockets.get(withDeflate.id)!.emit('direct', BIG);
    for (const event of ['all', 'room', 'direct']) {
      expect(isCompressed(await withDeflate.nextEvent(event)), event).toBe(true);
      const plain = await without.nextEvent(event);
      expect(plain.data).toEqual(BIG);
    }
    expect(without.frames.some(isCompressed)).toBe(false);
  });

  it('compresses then seals: one sealed frame carries the DEFLATE output', async () => {
    const server = await startServer(cleanup, { encryptionKey: KEY });
    server.on('echo', (_s, data, ack) => ack?.(data));
    const client = cleanup.client(await TestClient.connect(server, { key: KEY, deflate: true }));
    const ack = await client.request('echo', BIG);
    expect(ack.flags & (FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED)).toBe(
      FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED,
    );
    expect(ack.section.length).toBeLessThan(Buffer.byteLength(JSON.stringify(BIG)) / 5);
    expect(ack.data).toEqual(BIG);
  });
});

describe('compression: the receive side', () => {
  it('inflates a compressed event (sealed or not)', async () => {
    for (const key of [undefined, KEY]) {
      const server = await startServer(cleanup, { encryptionKey: key });
      server.on('echo', (_s, data, ack) => ack?.(data));
      const client = cleanup.client(await TestClient.connect(server, { key, deflate: true }));
      const ackId = 1;
      client.send({ type: FrameType.EVENT, event: 'echo', data: BIG, ackId }, true);
      const ack = await client.next((f) => f.type === FrameType.ACK && f.ackId === ackId);
      expect(ack.data).toEqual(BIG);
    }
  });

  it('refuses a COMPRESSED frame when deflate was not negotiated (ERR_MSG_002)', async () => {
    const server = await startServer(cleanup);
    const client = cleanup.client(await TestClient.connect(server));
    client.send({ type: FrameType.EVENT, event: 'x', data: BIG, ackId: 4 }, true);
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_MSG_002', ackId: 4 });
  });

  it('corrupt DEFLATE is ERR_MSG_002 and the socket keeps working', async () => {
    const server = await startServer(cleanup);
    server.on('echo', (_s, data, ack) => ack?.(data));
    const client = cleanup.client(await TestClient.connect(server, { deflate: true }));
    const head = { type: FrameType.EVENT, namespace: '/', event: 'echo', ackId: 7 };
    // 0xff: BFINAL=1 with the reserved block type 11, invalid DEFLATE whatever follows (random bytes
    // sometimes inflate to something valid).
    client.sendRaw(
      client.sealed({ ...head, flags: FrameFlag.COMPRESSED }, new Uint8Array(64).fill(0xff)),
    );
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_MSG_002', ackId: 7 });
    expect((await client.request('echo', 'still here')).data).toBe('still here');
  });

  it('a 200 MB-inflating bomb is ERR_MSG_004, memory stays flat, other sockets unaffected', async () => {
    const server = await startServer(cleanup, { maxPayload: 4 * MB });
    server.on('echo', (_s, data, ack) => ack?.(data));
    const bystander = cleanup.client(await TestClient.connect(server, { deflate: true }));
    const attacker = cleanup.client(await TestClient.connect(server, { deflate: true }));
    const section = bomb(200);
    expect(section.length).toBeLessThan(4 * MB);
    const head = { type: FrameType.EVENT, namespace: '/', event: 'echo', ackId: 3 };
    const frame = attacker.sealed({ ...head, flags: FrameFlag.COMPRESSED }, section);
    const before = process.memoryUsage();
    attacker.sendRaw(frame);
    const error = await attacker.nextError(10_000);
    const after = process.memoryUsage();
    expect(error.data).toMatchObject({ code: 'ERR_MSG_004', event: 'echo', ackId: 3 });
    for (const field of ['heapUsed', 'rss', 'arrayBuffers'] as const)
      expect(after[field] - before[field], field).toBeLessThan(40 * MB);
    expect((await bystander.request('echo', 'ok')).data).toBe('ok');
    expect((await attacker.request('echo', 'ok')).data).toBe('ok');
  });
});
