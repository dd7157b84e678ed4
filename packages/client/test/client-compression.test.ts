// Compression against the protocol peer: negotiation, threshold, compress(false), both directions,
// bounded inflation of what the server sends, compression + sealing together.
import { deflateRawSync } from 'node:zlib';
import { encodeFrame, FrameFlag, FrameType } from '@smartsocket/protocol';
import { describe, expect, it } from 'vitest';
import { makeClient, next, record, startPeer } from './helpers/setup.js';

const KEY = Buffer.alloc(32, 5).toString('base64');
const big = { rows: Array.from({ length: 300 }, (_, i) => ({ id: i, label: `row ${i}` })) };
const plainSize = JSON.stringify(big).length;
const compressed = (flags: number) => (flags & FrameFlag.COMPRESSED) !== 0;

describe('compression (protocol peer)', () => {
  it('compresses large sections once deflate is agreed, never small or compress(false) ones', async () => {
    const peer = await startPeer({ compression: true });
    const client = makeClient(peer.url);
    const ready = peer.nextReady();
    await client.connect();
    const socket = await ready;
    expect(socket.connectBody).toMatchObject({ caps: { compression: ['deflate'] } });
    expect(socket.compressing).toBe(true);
    client.emit('big', big);
    client.emit('small', { a: 1 });
    client.compress(false).emit('raw', big);
    const res = client.compress(false).emitWithAck('rawAck', big);
    for (const ev of ['big', 'small', 'raw', 'rawAck'])
      expect((await socket.nextEvent(ev)).data).toEqual(ev === 'small' ? { a: 1 } : big);
    const wire = (ev: string) => socket.wire.find((f) => f.event === ev)!;
    expect(compressed(wire('big').flags)).toBe(true);
    expect(wire('big').data.length).toBeLessThan(plainSize / 3);
    expect(compressed(wire('small').flags)).toBe(false);
    expect(compressed(wire('raw').flags)).toBe(false);
    expect(wire('raw').data.length).toBe(plainSize);
    expect(compressed(wire('rawAck').flags)).toBe(false);
    socket.ack(wire('rawAck').ackId!, 'ok');
    expect(await res).toBe('ok');
  });

  it('inflates what the server compressed, and answers acks', async () => {
    const peer = await startPeer({ compression: true });
    const client = makeClient(peer.url);
    const ready = peer.nextReady();
    await client.connect();
    const socket = await ready;
    const got = next(client, 'feed');
    socket.emit('feed', big);
    expect(await got).toEqual([big]);
    expect(socket.sent.some((b) => compressed(b[2]!))).toBe(true);
  });

  it('a server that does not agree to deflate gets no compressed frame', async () => {
    const peer = await startPeer({ compression: false });
    const client = makeClient(peer.url);
    const ready = peer.nextReady();
    await client.connect();
    const socket = await ready;
    client.emit('big', big);
    expect((await socket.nextEvent('big')).data).toEqual(big);
    expect(socket.wire.some((f) => compressed(f.flags))).toBe(false);
  });

  it('enableCompression: false announces nothing; a compressed frame anyway is ERR_MSG_002', async () => {
    const peer = await startPeer({ compression: true });
    const client = makeClient(peer.url, { enableCompression: false });
    const ready = peer.nextReady();
    await client.connect();
    const socket = await ready;
    expect(socket.connectBody).toMatchObject({ caps: { compression: [] } });
    expect(socket.compressing).toBe(false);
    client.emit('big', big);
    expect((await socket.nextEvent('big')).data).toEqual(big);
    expect(socket.wire.some((f) => compressed(f.flags))).toBe(false);
    const errors = record(client, ['error']);
    socket.emit('feed', big, undefined, { compress: true }); // a misbehaving server
    const arrived = next(client, 'feed');
    socket.emit('feed', 'plain');
    expect(await arrived).toEqual(['plain']);
    expect(errors.map((l) => l[1].code)).toEqual(['ERR_MSG_002']);
  });

  it('a bomb past maxPayload is ERR_MSG_004, corrupt DEFLATE ERR_MSG_002; the session goes on', async () => {
    const peer = await startPeer({ compression: true, maxPayload: 64 * 1024 });
    const client = makeClient(peer.url);
    const ready = peer.nextReady();
    await client.connect();
    const socket = await ready;
    const errors = record(client, ['error', 'disconnected']);
    const seen: unknown[] = [];
    client.on('feed', (d: unknown) => seen.push(d));
    const bomb = deflateRawSync(Buffer.from(JSON.stringify('0'.repeat(8 * 1024 * 1024))));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const frame = (data: Uint8Array) =>
      encodeFrame({ type: FrameType.EVENT, event: 'feed', flags: FrameFlag.COMPRESSED, data });
    socket.sendRaw(frame(bomb));
    socket.sendRaw(frame(new Uint8Array([0xff, 0xee, 0xdd, 0xcc])));
    const arrived = next(client, 'feed');
    socket.emit('feed', 'after');
    expect(await arrived).toEqual(['after']);
    expect(seen).toEqual(['after']);
    expect(errors.map((l) => [l[0], l[1].code])).toEqual([
      ['error', 'ERR_MSG_004'],
      ['error', 'ERR_MSG_002'],
    ]);
  });

  it('compressed and sealed together, both ways', async () => {
    const peer = await startPeer({ compression: true, keys: [KEY] });
    const client = makeClient(peer.url, { encryptionKey: KEY });
    const ready = peer.nextReady();
    await client.connect();
    const socket = await ready;
    client.emit('big', big);
    expect((await socket.nextEvent('big')).data).toEqual(big);
    const up = socket.wire.find((f) => f.event === 'big')!;
    expect(up.flags & (FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED)).toBe(
      FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED,
    );
    expect(up.data.length).toBeLessThan(plainSize / 3);
    const got = next(client, 'feed');
    socket.emit('feed', big);
    expect(await got).toEqual([big]);
    const down = socket.sent.at(-1)!;
    expect(down[2]! & (FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED)).toBe(
      FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED,
    );
  });
});
