import { FrameType } from '@smartsocket/protocol';
import { describe, expect, it } from 'vitest';
import { makeClient, next, quiet, record, startPeer } from './helpers/setup.js';

describe('reconnection', () => {
  it('reconnects after a lost connection', async () => {
    const peer = await startPeer();
    const client = makeClient(peer.url, { reconnectDelay: 15 });
    const first = peer.nextReady();
    await client.connect();
    const s1 = await first;
    const log = record(client, ['disconnected', 'reconnecting', 'connected', 'reconnected']);
    const back = next(client, 'reconnected');
    const second = peer.nextReady();
    s1.terminate();
    await back;
    const s2 = await second;
    expect(log).toEqual([
      ['disconnected', 'transport close'],
      ['reconnecting', 1, 15],
      ['connected', 'websocket'],
      ['reconnected', 1],
    ]);
    expect(client.id).toBe(s2.id);
    expect(client.connected).toBe(true);
  });

  it('reconnects after a server DISCONNECT with reconnect: true', async () => {
    const peer = await startPeer();
    const client = makeClient(peer.url);
    const first = peer.nextReady();
    await client.connect();
    const disconnected = next(client, 'disconnected');
    const back = next(client, 'reconnected');
    (await first).disconnect('server shutting down', true);
    expect(await disconnected).toEqual(['server shutting down']);
    await back;
    expect(client.connected).toBe(true);
  });

  it('stays disconnected after a server DISCONNECT with reconnect: false', async () => {
    const peer = await startPeer();
    const client = makeClient(peer.url);
    const first = peer.nextReady();
    await client.connect();
    const log = record(client, ['disconnected', 'reconnecting', 'error']);
    (await first).disconnect('kicked', false);
    await next(client, 'disconnected');
    await quiet(80);
    expect(log).toEqual([['disconnected', 'kicked']]);
    expect(peer.upgrades).toBe(1);
    expect(client.connected).toBe(false);
  });

  it('does not reconnect after disconnect(), and tells the server', async () => {
    const peer = await startPeer();
    const client = makeClient(peer.url);
    const first = peer.nextReady();
    await client.connect();
    const socket = await first;
    const log = record(client, ['disconnected', 'reconnecting']);
    client.disconnect();
    const frame = await socket.nextFrame((f) => f.type === FrameType.DISCONNECT);
    expect(frame.namespace).toBe('/');
    await quiet(80);
    expect(log).toEqual([['disconnected', 'client disconnect']]);
    expect(peer.upgrades).toBe(1);
    // connect() works again afterwards
    await client.connect();
    expect(client.connected).toBe(true);
  });

  it('connect() called from a disconnected listener opens exactly one new connection', async () => {
    const peer = await startPeer();
    const client = makeClient(peer.url, { reconnectDelay: 5 });
    const first = peer.nextReady();
    await client.connect();
    let again: Promise<void> | undefined;
    client.once('disconnected', () => {
      again = client.connect();
    });
    const second = peer.nextReady();
    (await first).disconnect('kicked', false);
    await second;
    await again;
    await quiet(60);
    expect(peer.upgrades).toBe(2);
    expect(client.connected).toBe(true);
  });

  it('emits max-reconnect-attempts-reached when the server stays away', async () => {
    const peer = await startPeer();
    const client = makeClient(peer.url, { maxReconnectAttempts: 2, reconnectDelay: 5 });
    const first = peer.nextReady();
    await client.connect();
    const socket = await first;
    const gaveUp = next(client, 'max-reconnect-attempts-reached');
    const log = record(client, ['reconnecting']);
    await peer.close();
    void socket;
    expect(await gaveUp).toEqual([2]);
    expect(log.length).toBe(2);
    expect(client.connected).toBe(false);
  });
});

describe('heartbeats', () => {
  it('sends HEARTBEAT { t } every interval and measures latency', async () => {
    const peer = await startPeer({ heartbeatInterval: 20, heartbeatTimeout: 2000 });
    const client = makeClient(peer.url);
    const ready = peer.nextReady();
    await client.connect();
    const socket = await ready;
    await socket.nextFrame((f) => f.type === FrameType.HEARTBEAT);
    const second = await socket.nextFrame((f) => f.type === FrameType.HEARTBEAT);
    const body = JSON.parse(new TextDecoder().decode(second.data));
    expect(typeof body.t).toBe('number');
    expect(typeof body.rtt).toBe('number');
    expect(client.latency).toBeGreaterThanOrEqual(0);
  });

  it('the heartbeatInterval option overrides the server value', async () => {
    const peer = await startPeer({ heartbeatInterval: 60_000 });
    const client = makeClient(peer.url, { heartbeatInterval: 15 });
    const ready = peer.nextReady();
    await client.connect();
    await (await ready).nextFrame((f) => f.type === FrameType.HEARTBEAT);
  });

  it('3 missed heartbeats mean a dead connection: ERR_CONN_006 and reconnection', async () => {
    const peer = await startPeer({
      heartbeatInterval: 20,
      heartbeatTimeout: 20,
      answerHeartbeats: false,
    });
    const client = makeClient(peer.url);
    const ready = peer.nextReady();
    await client.connect();
    const socket = await ready;
    const error = next(client, 'error');
    const disconnected = next(client, 'disconnected');
    const reconnecting = next(client, 'reconnecting');
    const [err] = await error;
    expect(err.code).toBe('ERR_CONN_006');
    expect(await disconnected).toEqual(['heartbeat timeout']);
    await reconnecting;
    expect(socket.frames.filter((f) => f.type === FrameType.HEARTBEAT).length).toBe(3);
  });

  it('answers a server HEARTBEAT with HEARTBEAT_ACK carrying the same data', async () => {
    const peer = await startPeer();
    const client = makeClient(peer.url);
    const ready = peer.nextReady();
    await client.connect();
    const socket = await ready;
    socket.send(FrameType.HEARTBEAT, { t: 12345 });
    const ack = await socket.nextFrame((f) => f.type === FrameType.HEARTBEAT_ACK);
    expect(JSON.parse(new TextDecoder().decode(ack.data))).toEqual({ t: 12345 });
  });
});
