// Liveness: HEARTBEAT echo, latency from rtt, idle probe, dropping silent peers, handshake timeout.
import { FrameType } from '@smartsocket/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from '../src/index.js';
import { Cleanup, once, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('heartbeats', () => {
  it("echoes the client's HEARTBEAT data and exposes its rtt as socket.latency", async () => {
    const server = await startServer(cleanup);
    const connected = once<[Socket]>(server, 'connected');
    const client = cleanup.client(await TestClient.connect(server));
    const [socket] = await connected;
    client.send({ type: FrameType.HEARTBEAT, data: { t: 123, rtt: 42 } });
    const ack = await client.next((f) => f.type === FrameType.HEARTBEAT_ACK);
    expect(ack.data).toEqual({ t: 123, rtt: 42 });
    expect(socket.latency).toBe(42);
    expect(server.getStats().averageLatency).toBeGreaterThan(0);
  });

  it('probes an idle socket and keeps it while it answers', async () => {
    const server = await startServer(cleanup, { connectionTimeout: 40, heartbeatTimeout: 2000 });
    const client = cleanup.client(await TestClient.connect(server));
    const probe = await client.next((f) => f.type === FrameType.HEARTBEAT);
    expect(probe.data).toMatchObject({ t: expect.any(Number) });
    await client.next((f) => f.type === FrameType.HEARTBEAT && f !== probe);
    expect(server.sockets.has(client.id)).toBe(true);
  });

  it("drops a silent socket after connectionTimeout + heartbeatTimeout, with reason 'ping timeout'", async () => {
    const server = await startServer(cleanup, { connectionTimeout: 30, heartbeatTimeout: 30 });
    const connected = once<[Socket]>(server, 'connected');
    const client = cleanup.client(await TestClient.connect(server));
    client.autoPong = false;
    const [socket] = await connected;
    socket.join('room');
    const [, reason] = await once<[Socket, string]>(server, 'disconnected');
    expect(reason).toBe('ping timeout');
    expect(server.namespace('/').adapter.rooms.size).toBe(0);
    expect(server.getConnectionStats().active).toBe(0);
    await client.closed;
  });

  it('closes a connection that never sends CONNECT within handshakeTimeout (ERR_CONN_002)', async () => {
    const server = await startServer(cleanup, { handshakeTimeout: 30 });
    const client = cleanup.client(await TestClient.open(server));
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_CONN_002' });
    expect((await client.closed).code).toBe(1001);
  });
});
