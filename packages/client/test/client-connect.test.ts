import { FrameType } from '@smartsocket/protocol';
import { describe, expect, it } from 'vitest';
import type { HandshakeReply } from './helpers/protocol-peer.js';
import { makeClient, next, quiet, record, startPeer } from './helpers/setup.js';

describe('connect()', () => {
  it('resolves on the CONNECT answer and announces apiKey, auth and caps', async () => {
    const peer = await startPeer();
    const client = makeClient(`${peer.url}/chat`, { apiKey: 'k1', auth: { token: 't' } });
    const ready = peer.nextReady();
    const connected = next(client, 'connected');
    await client.connect();
    const socket = await ready;
    await connected;
    expect(client.connected).toBe(true);
    expect(client.id).toBe(socket.id);
    expect(client.transport).toBe('websocket');
    expect(client.namespace).toBe('/chat');
    expect(socket.namespace).toBe('/chat');
    expect(socket.connectBody).toEqual({
      apiKey: 'k1',
      auth: { token: 't' },
      caps: { compression: ['deflate'], binary: true, seq: true },
    });
    expect(socket.ws.protocol).toBe('smartsocket-v1');
    await client.connect(); // already connected: resolves at once
  });

  it('rejects with ERR_CONN_001 when nothing listens', async () => {
    const peer = await startPeer();
    const url = peer.url;
    await peer.close();
    const client = makeClient(url, { maxReconnectAttempts: 0 });
    await expect(client.connect()).rejects.toMatchObject({ code: 'ERR_CONN_001' });
    expect(client.connected).toBe(false);
  });

  it('rejects with ERR_CONN_002 when no CONNECT answer comes within timeout', async () => {
    const peer = await startPeer({ handshake: () => 'silent' });
    const client = makeClient(peer.url, { maxReconnectAttempts: 0, timeout: 80 });
    await expect(client.connect()).rejects.toMatchObject({ code: 'ERR_CONN_002' });
  });

  it('rejects with ERR_CONN_003 on an unusable CONNECT answer', async () => {
    const peer = await startPeer({ handshake: () => 'garbage' });
    const client = makeClient(peer.url, { maxReconnectAttempts: 0 });
    await expect(client.connect()).rejects.toMatchObject({ code: 'ERR_CONN_003' });
  });

  it('rejects with ERR_CONN_005 on max connections', async () => {
    const peer = await startPeer({
      handshake: () => ({ refuse: 'ERR_CONN_005', closeCode: 1013 }),
    });
    const client = makeClient(peer.url, { maxReconnectAttempts: 0 });
    await expect(client.connect()).rejects.toMatchObject({ code: 'ERR_CONN_005' });
  });

  it('rejects with ERR_CONN_004 at once, without retrying', async () => {
    const peer = await startPeer({
      handshake: () => ({ refuse: 'ERR_CONN_004', closeCode: 4001 }),
    });
    const client = makeClient(peer.url, { maxReconnectAttempts: 5 });
    const log = record(client, ['reconnecting', 'error']);
    await expect(client.connect()).rejects.toMatchObject({ code: 'ERR_CONN_004' });
    await quiet(60);
    expect(peer.upgrades).toBe(1);
    expect(log.map((l) => [l[0], l[1].code])).toEqual([['error', 'ERR_CONN_004']]);
  });

  it('keeps trying under the policy while connecting, then resolves', async () => {
    let n = 0;
    const peer = await startPeer({
      handshake: (): HandshakeReply => (++n <= 2 ? { refuse: 'ERR_CONN_005' } : { accept: true }),
    });
    const client = makeClient(peer.url, { reconnectDelay: 20, maxReconnectAttempts: 5 });
    const log = record(client, ['reconnecting', 'reconnected', 'connected']);
    await client.connect();
    expect(log).toEqual([
      ['reconnecting', 1, 20],
      ['reconnecting', 2, 30],
      ['connected', 'websocket'],
      ['reconnected', 2],
    ]);
  });

  it('gives up after maxReconnectAttempts with the last error and max-reconnect-attempts-reached', async () => {
    const peer = await startPeer({ handshake: () => ({ refuse: 'ERR_CONN_005' }) });
    const client = makeClient(peer.url, { reconnectDelay: 10, maxReconnectAttempts: 2 });
    const log = record(client, ['reconnecting', 'max-reconnect-attempts-reached']);
    await expect(client.connect()).rejects.toMatchObject({ code: 'ERR_CONN_005' });
    expect(log).toEqual([
      ['reconnecting', 1, 10],
      ['reconnecting', 2, 15],
      ['max-reconnect-attempts-reached', 2],
    ]);
    expect(peer.upgrades).toBe(3);
  });

  it('disconnect() during the attempts stops them and rejects connect()', async () => {
    const peer = await startPeer({ handshake: () => ({ refuse: 'ERR_CONN_005' }) });
    const client = makeClient(peer.url, { reconnectDelay: 30, maxReconnectAttempts: 50 });
    const attempt = client.connect();
    await next(client, 'reconnecting');
    client.disconnect();
    await expect(attempt).rejects.toMatchObject({ code: 'ERR_CONN_006' });
    const seen = peer.upgrades;
    await quiet(100);
    expect(peer.upgrades).toBe(seen);
  });

  it('sends the previous session token and positions when reconnecting (sequenced)', async () => {
    const peer = await startPeer({ sequencing: true });
    const client = makeClient(peer.url);
    const first = peer.nextReady();
    await client.connect();
    const s1 = await first;
    const second = peer.nextReady();
    s1.terminate();
    const s2 = await second;
    expect((s2.connectBody as { session?: unknown }).session).toEqual({
      token: `tok-${s1.id}`,
      u: 0,
      b: 0,
    });
    expect(s2.frames.some((f) => f.type === FrameType.CONNECT)).toBe(false);
  });
});
