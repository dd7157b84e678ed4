import { decodeFrameData, FrameType } from '@smartsocket/protocol';
import { describe, expect, it } from 'vitest';
import { systemTimers } from '../src/timers.js';
import type { PeerOptions } from './helpers/protocol-peer.js';
import { makeClient, next, quiet, startPeer } from './helpers/setup.js';

async function connected(peerOptions: PeerOptions = {}, clientOptions = {}) {
  const peer = await startPeer(peerOptions);
  const client = makeClient(peer.url, clientOptions);
  const ready = peer.nextReady();
  await client.connect();
  return { peer, client, socket: await ready };
}

describe('events', () => {
  it('delivers server events with their data, binary included; on/once/off', async () => {
    const { client, socket } = await connected();
    const got: unknown[] = [];
    const onNews = (d: unknown) => got.push(['on', d]);
    client.on('news', onNews);
    client.once('news', (d: unknown) => got.push(['once', d]));
    const bin = next(client, 'bin');
    socket.emit('news', { n: 1 });
    socket.emit('news', { n: 2 });
    socket.emit('bin', { file: new Uint8Array([1, 2, 3]) });
    const [data] = await bin;
    expect(data.file).toEqual(new Uint8Array([1, 2, 3]));
    client.off('news', onNews);
    socket.emit('news', { n: 3 });
    const last = next(client, 'done');
    socket.emit('done');
    await last;
    expect(got).toEqual([
      ['on', { n: 1 }],
      ['once', { n: 1 }],
      ['on', { n: 2 }],
    ]);
  });

  it('batches frames emitted in one turn into one WebSocket message, in order', async () => {
    const { client, socket } = await connected();
    const before = socket.messageCount;
    client.emit('a', 1);
    client.emit('b', 2);
    client.emit('c', 3);
    await socket.nextEvent('c');
    expect(socket.messageCount - before).toBe(1);
    const events = socket.frames.filter((f) => f.type === FrameType.EVENT).map((f) => f.event);
    expect(events).toEqual(['a', 'b', 'c']);
  });

  it('emits __rate-limited__ and error events from the server', async () => {
    const { client, socket } = await connected();
    const limited = next(client, '__rate-limited__');
    const error = next(client, 'error');
    socket.error({
      code: 'ERR_RATE_001',
      message: 'Rate limit exceeded',
      event: 'chat',
      retryAfter: 500,
    });
    socket.emit('__rate-limited__', {
      message: 'Rate limit exceeded',
      retryAfter: 500,
      code: 'ERR_RATE_001',
      event: 'chat',
    });
    const [err] = await error;
    expect(err).toMatchObject({
      name: 'SmartSocketError',
      code: 'ERR_RATE_001',
      retryAfter: 500,
      event: 'chat',
    });
    expect((await limited)[0]).toMatchObject({ retryAfter: 500, code: 'ERR_RATE_001' });
  });

  it('ignores server events named like the client lifecycle events', async () => {
    const { client, socket } = await connected();
    let calls = 0;
    client.on('connected', () => calls++);
    socket.emit('connected', 1);
    const done = next(client, 'done');
    socket.emit('done');
    await done;
    expect(calls).toBe(0);
  });

  it('survives a listener that throws', async () => {
    const { client, socket } = await connected();
    client.on('boom', () => {
      throw new Error('app bug');
    });
    const after = next(client, 'after');
    socket.emit('boom');
    socket.emit('after', 1);
    expect(await after).toEqual([1]);
    expect(client.connected).toBe(true);
  });
});

describe('acknowledgements', () => {
  it('emit callback and emitWithAck receive the ack response', async () => {
    const { client, socket } = await connected();
    const cb = new Promise((resolve) => client.emit('save', { x: 1 }, resolve));
    const ev = await socket.nextEvent('save');
    expect(ev.data).toEqual({ x: 1 });
    expect(ev.ackId).toBe(1);
    socket.ack(ev.ackId!, { ok: true });
    expect(await cb).toEqual({ ok: true });
    const p = client.emitWithAck('save', { x: 2 });
    const ev2 = await socket.nextEvent('save');
    expect(ev2.ackId).toBe(2);
    socket.ack(ev2.ackId!, 'fine');
    expect(await p).toBe('fine');
  });

  it('times out with ERR_ACK_001', async () => {
    const { client } = await connected({}, { ackTimeout: 30 });
    const res = await new Promise((resolve) => client.emit('save', 1, resolve));
    expect(res).toEqual({ error: 'Acknowledgment timeout', code: 'ERR_ACK_001' });
    await expect(client.emitWithAck('save', 1, { timeout: 20 })).rejects.toMatchObject({
      code: 'ERR_ACK_001',
    });
  });

  it('an ERROR frame carrying ackId settles that ack with { error, code } and emits error', async () => {
    const { client, socket } = await connected();
    const error = next(client, 'error');
    const cb = new Promise((resolve) => client.emit('save', 1, resolve));
    const { ackId } = await socket.nextEvent('save');
    socket.error({ code: 'ERR_MW_001', message: 'not allowed', ackId: ackId!, event: 'save' });
    expect(await cb).toEqual({ error: 'not allowed', code: 'ERR_MW_001' });
    expect((await error)[0].code).toBe('ERR_MW_001');
    const p = client.emitWithAck('save', 2);
    const second = await socket.nextEvent('save');
    socket.error({
      code: 'ERR_RATE_002',
      message: 'slow down',
      ackId: second.ackId!,
      retryAfter: 10,
    });
    await expect(p).rejects.toMatchObject({
      name: 'SmartSocketError',
      code: 'ERR_RATE_002',
      retryAfter: 10,
    });
  });

  it('server events asking for an ack give the handler (data, ack)', async () => {
    const { client, socket } = await connected();
    client.on('question', (data: number, ack: (r: unknown) => void) => {
      ack(data * 2);
      ack('twice'); // only the first answer counts
    });
    socket.emit('question', 21, 7);
    const frame = await socket.nextFrame((f) => f.type === FrameType.ACK);
    expect(frame.ackId).toBe(7);
    expect(decodeFrameData(frame)).toBe(42);
    await quiet(20);
    expect(socket.frames.filter((f) => f.type === FrameType.ACK).length).toBe(1);
  });

  it('refuses locally a message larger than the server maxPayload with ERR_MSG_004', async () => {
    const { client, socket } = await connected({ maxPayload: 100 });
    const big = 'x'.repeat(200);
    const res = await new Promise((resolve) => client.emit('big', big, resolve));
    expect(res).toMatchObject({ code: 'ERR_MSG_004' });
    await expect(client.emitWithAck('big', big)).rejects.toMatchObject({ code: 'ERR_MSG_004' });
    const error = next(client, 'error');
    client.emit('big', big);
    expect((await error)[0].code).toBe('ERR_MSG_004');
    client.emit('small', 'x'.repeat(90));
    await socket.nextEvent('small');
    expect(socket.frames.some((f) => f.event === 'big')).toBe(false);
  });

  it('ignores an ACK for an unknown id', async () => {
    const { client, socket } = await connected();
    socket.ack(999, 'stray');
    const cb = new Promise((resolve) => client.emit('save', 1, resolve));
    const { ackId } = await socket.nextEvent('save');
    socket.ack(ackId!, 'real');
    expect(await cb).toBe('real');
  });

  it('pending acks fail with ERR_CONN_006 when the connection is lost, and ids restart', async () => {
    const { client, socket, peer } = await connected();
    const cb = new Promise((resolve) => client.emit('save', 1, resolve));
    await socket.nextEvent('save');
    const again = peer.nextReady();
    socket.terminate();
    expect(await cb).toMatchObject({ code: 'ERR_CONN_006' });
    const s2 = await again;
    const p = client.emitWithAck('save', 2);
    const ev = await s2.nextEvent('save');
    expect(ev.ackId).toBe(1);
    s2.ack(1, 'ok');
    expect(await p).toBe('ok');
  });

  it('with enableAcknowledgments: false no ack is requested', async () => {
    const { client, socket } = await connected({}, { enableAcknowledgments: false });
    client.emit('save', 1, () => {});
    expect((await socket.nextEvent('save')).ackId).toBeUndefined();
    await expect(client.emitWithAck('save', 1)).rejects.toMatchObject({ code: 'ERR_ACK_002' });
  });
});

describe('offline queue', () => {
  it('sends emits made before connect() in order once connected; volatile ones are dropped', async () => {
    const peer = await startPeer();
    const client = makeClient(peer.url);
    client.emit('a', 1);
    client.volatile.emit('v', 0);
    client.emit('b', 2);
    const acked = new Promise((resolve) => client.emit('c', 3, resolve));
    const ready = peer.nextReady();
    await client.connect();
    const socket = await ready;
    const c = await socket.nextEvent('c');
    socket.ack(c.ackId!, 'ok-c');
    expect(await acked).toBe('ok-c');
    const events = socket.frames.filter((f) => f.type === FrameType.EVENT).map((f) => f.event);
    expect(events).toEqual(['a', 'b', 'c']);
  });

  it('keeps queueSize newest emits', async () => {
    const peer = await startPeer();
    const client = makeClient(peer.url, { queueSize: 2 });
    const dropped = new Promise((resolve) => client.emit('e0', 0, resolve));
    for (let i = 1; i < 4; i++) client.emit(`e${i}`, i);
    expect(await dropped).toMatchObject({ code: 'ERR_CONN_006' });
    const ready = peer.nextReady();
    await client.connect();
    const socket = await ready;
    await socket.nextEvent('e3');
    expect(socket.frames.map((f) => f.event)).toEqual(['e2', 'e3']);
  });

  it('drops emits older than queueMaxAge', async () => {
    let now = 0;
    const timers = { ...systemTimers, now: () => now };
    const peer = await startPeer();
    const client = makeClient(peer.url, { queueMaxAge: 1000, timers });
    client.emit('stale', 1);
    now = 900;
    client.emit('fresh', 2);
    now = 1500;
    const ready = peer.nextReady();
    await client.connect();
    const socket = await ready;
    await socket.nextEvent('fresh');
    expect(socket.frames.map((f) => f.event)).toEqual(['fresh']);
  });

  it('queues emits made while reconnecting and flushes them after reconnection', async () => {
    const { client, socket, peer } = await connected({}, { reconnectDelay: 30 });
    const again = peer.nextReady();
    const lost = next(client, 'disconnected');
    socket.terminate();
    await lost;
    client.emit('q1', 1);
    client.volatile.emit('v', 1);
    client.emit('q2', 2);
    const s2 = await again;
    await s2.nextEvent('q2');
    expect(s2.frames.filter((f) => f.type === FrameType.EVENT).map((f) => f.event)).toEqual([
      'q1',
      'q2',
    ]);
  });
});
