// Hostile raw clients: heartbeats and control frames never amplify (bytes out ≤ bytes in + a
// constant, counted on the TCP socket), before CONNECT the server sends one ERROR and closes.
import type { Socket as NetSocket } from 'node:net';
import { deflateRawSync } from 'node:zlib';
import {
  concatFrames,
  encodeFrame,
  encodeMessage,
  FrameFlag,
  FrameType,
  MAX_HEARTBEAT_DATA,
} from '@smartsocket/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { SmartSocket } from '../src/index.js';
import { Cleanup, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

// What may come back on top of what was sent: the HTTP 101 answer (shorter than the request),
// the CONNECT answer, one ERROR frame and a close frame.
const SLACK = 600;
const KEY = Buffer.alloc(32, 7).toString('base64');

/** The client's TCP socket, kept so its byte counters can be read after the close. */
function tcp(client: TestClient): NetSocket {
  return (client.ws as unknown as { _socket: NetSocket })._socket;
}

/** Waits for the close, then asserts what came back is no more than what was sent + SLACK. */
async function expectNoAmplification(client: TestClient, socket: NetSocket): Promise<void> {
  await client.closed;
  expect(socket.bytesWritten).toBeGreaterThan(0);
  expect(socket.bytesRead).toBeLessThanOrEqual(socket.bytesWritten + SLACK);
}

const heartbeat = (data: Uint8Array, flags = 0): Uint8Array =>
  encodeFrame({ type: FrameType.HEARTBEAT, namespace: '/', flags, data });

async function bystander(server: SmartSocket): Promise<TestClient> {
  server.on('ping', (_s, data, ack) => ack?.(data));
  return cleanup.client(await TestClient.connect(server));
}

async function expectServing(client: TestClient): Promise<void> {
  expect((await client.request('ping', 'ok')).data).toBe('ok');
}

describe('heartbeat rule: at most 128 bytes, never compressed or binary', () => {
  it('a compressed heartbeat (1 MiB of spaces, deflated) is ERR_MSG_001 and close, not a 1 MiB echo', async () => {
    const server = await startServer(cleanup);
    const other = await bystander(server);
    const client = cleanup.client(await TestClient.connect(server, { deflate: true }));
    const socket = tcp(client);
    const bomb = deflateRawSync(Buffer.alloc(1024 * 1024, 0x20));
    client.sendRaw(
      concatFrames(Array.from({ length: 20 }, () => heartbeat(bomb, FrameFlag.COMPRESSED))),
    );
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_MSG_001' });
    expect((await client.closed).code).toBe(1002);
    await expectNoAmplification(client, socket);
    expect(client.frames.some((f) => f.type === FrameType.HEARTBEAT_ACK)).toBe(false);
    await expectServing(other);
  });

  it('a binary heartbeat is ERR_MSG_001 and close', async () => {
    const server = await startServer(cleanup);
    const client = cleanup.client(await TestClient.connect(server));
    const socket = tcp(client);
    client.sendRaw(heartbeat(Uint8Array.of(0, 0, 0, 0), FrameFlag.BINARY));
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_MSG_001' });
    expect((await client.closed).code).toBe(1002);
    await expectNoAmplification(client, socket);
  });

  it('129 bytes of heartbeat data is ERR_MSG_001; 128 bytes is echoed unchanged in size', async () => {
    const server = await startServer(cleanup);
    const client = cleanup.client(await TestClient.connect(server));
    const ok = new TextEncoder().encode(
      JSON.stringify({ t: 1, pad: 'x'.repeat(MAX_HEARTBEAT_DATA - 16) }),
    );
    expect(ok.length).toBe(MAX_HEARTBEAT_DATA);
    const sent = heartbeat(ok);
    client.sendRaw(sent);
    const echo = await client.next((f) => f.type === FrameType.HEARTBEAT_ACK);
    expect(echo.raw.length).toBe(sent.length);
    const socket = tcp(client);
    client.sendRaw(heartbeat(new Uint8Array(MAX_HEARTBEAT_DATA + 1).fill(0x20)));
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_MSG_001' });
    await expectNoAmplification(client, socket);
  });
});

describe('before CONNECT: one ERROR and a close, nothing else', () => {
  it.each([
    ['plain', {}],
    ['with apiKey', { apiKey: 'secret' }],
    ['with encryption', { encryptionKey: KEY }],
  ])('a 1 MiB heartbeat before CONNECT is not echoed (%s)', async (_name, options) => {
    const server = await startServer(cleanup, { maxPayload: 2 * 1024 * 1024, ...options });
    const client = cleanup.client(await TestClient.open(server));
    const socket = tcp(client);
    client.sendRaw(heartbeat(new Uint8Array(1024 * 1024).fill(0x20)));
    await expectNoAmplification(client, socket);
    expect(client.frames.map((f) => f.type)).toEqual([FrameType.ERROR]);
  });

  it('10,000 heartbeats before CONNECT: one ERROR, close, bytes out ≤ bytes in', async () => {
    const server = await startServer(cleanup);
    const client = cleanup.client(await TestClient.open(server));
    const socket = tcp(client);
    const hb = encodeMessage({ type: FrameType.HEARTBEAT, data: { t: 1 } });
    client.sendRaw(concatFrames(Array.from({ length: 10_000 }, () => hb)));
    await expectNoAmplification(client, socket);
    expect(client.frames.map((f) => f.type)).toEqual([FrameType.ERROR]);
    expect(client.frames[0]!.data).toMatchObject({ code: 'ERR_MSG_001' });
  });

  it('heartbeats pipelined behind a CONNECT still being authenticated are held, not answered', async () => {
    let admit: (ok: boolean) => void = () => {};
    let called: () => void = () => {};
    const authenticating = new Promise<void>((resolve) => (called = resolve));
    const server = await startServer(cleanup, {
      authenticate: () =>
        new Promise<boolean>((resolve) => {
          admit = resolve;
          called();
        }),
    });
    const client = cleanup.client(await TestClient.open(server));
    const socket = tcp(client);
    // One message: by the time authenticate runs, every heartbeat behind the CONNECT was read.
    const connect = encodeMessage({ type: FrameType.CONNECT, data: { caps: {} } });
    const hb = encodeMessage({ type: FrameType.HEARTBEAT, data: { t: 1 } });
    client.sendRaw(concatFrames([connect, ...Array.from({ length: 200 }, () => hb)]));
    await authenticating;
    admit(false);
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_CONN_004' });
    await expectNoAmplification(client, socket);
    expect(client.frames.map((f) => f.type)).toEqual([FrameType.ERROR]);
  });

  it('frames held during authenticate are bounded in bytes: ERR_MSG_004 and close', async () => {
    const server = await startServer(cleanup, {
      maxPayload: 4096,
      authenticate: () => new Promise<boolean>(() => {}),
    });
    const client = cleanup.client(await TestClient.open(server));
    const connect = encodeMessage({ type: FrameType.CONNECT, data: { caps: {} } });
    const event = encodeMessage({ type: FrameType.EVENT, event: 'e', data: 'x'.repeat(1000) });
    client.sendRaw(concatFrames([connect, event, event, event, event, event]));
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_MSG_004' });
    expect((await client.closed).code).toBe(1009);
  });

  it('frames held during authenticate are bounded in count: ERR_MSG_004 and close', async () => {
    const server = await startServer(cleanup, {
      authenticate: () => new Promise<boolean>(() => {}),
    });
    const client = cleanup.client(await TestClient.open(server));
    const connect = encodeMessage({ type: FrameType.CONNECT, data: { caps: {} } });
    const event = encodeMessage({ type: FrameType.EVENT, event: 'e', data: 1 });
    client.sendRaw(concatFrames([connect, ...Array.from({ length: 300 }, () => event)]));
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_MSG_004' });
    expect((await client.closed).code).toBe(1009);
  });
});

describe('control frames after CONNECT count in a per-socket budget', () => {
  it.each([
    ['HEARTBEAT', FrameType.HEARTBEAT],
    ['HEARTBEAT_ACK', FrameType.HEARTBEAT_ACK],
  ])('10,000 %s frames: bytes out ≤ bytes in, then ERR_RATE_001 and close', async (_n, type) => {
    const server = await startServer(cleanup);
    const other = await bystander(server);
    const client = cleanup.client(await TestClient.connect(server));
    client.autoPong = false;
    const socket = tcp(client);
    const frame = encodeMessage({ type, data: { t: 1 } });
    for (let i = 0; i < 10; i++)
      client.sendRaw(concatFrames(Array.from({ length: 1000 }, () => frame)));
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_RATE_001' });
    await expectNoAmplification(client, socket);
    await expectServing(other);
  });

  it('10,000 sealed heartbeats (encryption on): bytes out ≤ bytes in', async () => {
    const server = await startServer(cleanup, { encryptionKey: KEY });
    const client = cleanup.client(await TestClient.connect(server, { key: KEY }));
    const socket = tcp(client);
    const section = new TextEncoder().encode('{"t":1}');
    const frames = Array.from({ length: 10_000 }, () =>
      client.sealed({ type: FrameType.HEARTBEAT, namespace: '/' }, section),
    );
    client.sendRaw(concatFrames(frames));
    await expectNoAmplification(client, socket);
  });

  it('a few heartbeats are answered and never count against the app rate limit', async () => {
    const server = await startServer(cleanup, { rateLimitMaxRequests: 2 });
    const client = await bystander(server);
    const hb = encodeMessage({ type: FrameType.HEARTBEAT, data: { t: 5 } });
    client.sendRaw(concatFrames(Array.from({ length: 20 }, () => hb)));
    await client.next((f) => f.type === FrameType.HEARTBEAT_ACK && f.data !== undefined);
    await expectServing(client);
  });

  it('a flood of duplicate CONNECTs is answered within the budget only', async () => {
    const server = await startServer(cleanup);
    const client = cleanup.client(await TestClient.connect(server));
    const socket = tcp(client);
    const connect = encodeMessage({ type: FrameType.CONNECT, data: {} });
    client.sendRaw(concatFrames(Array.from({ length: 10_000 }, () => connect)));
    expect((await client.closed).code).toBe(1008);
    await expectNoAmplification(client, socket);
  });
});

describe('rate floods', () => {
  it('a client sending ten times its limit within one window is disconnected (ERR_RATE_001)', async () => {
    const server = await startServer(cleanup, { rateLimitMaxRequests: 5, rateLimitWindow: 60_000 });
    const other = await bystander(server);
    const client = cleanup.client(await TestClient.connect(server));
    const frame = encodeMessage({ type: FrameType.EVENT, event: 'spam', data: 1 });
    client.sendRaw(concatFrames(Array.from({ length: 60 }, () => frame)));
    const closed = await client.closed;
    expect(closed.code).toBe(1008);
    const errors = client.frames.filter((f) => f.type === FrameType.ERROR).map((f) => f.data);
    expect(errors.at(-1)).toMatchObject({ code: 'ERR_RATE_001' });
    await expectServing(other);
  });

  it('a flood past a per-event rule is disconnected too', async () => {
    const server = await startServer(cleanup);
    server.setEventRateLimit('chat', { window: 60_000, maxRequests: 2 });
    const client = cleanup.client(await TestClient.connect(server));
    const frame = encodeMessage({ type: FrameType.EVENT, event: 'chat', data: 1 });
    client.sendRaw(concatFrames(Array.from({ length: 30 }, () => frame)));
    expect((await client.closed).code).toBe(1008);
    const codes = client.frames.filter((f) => f.type === FrameType.ERROR).map((f) => f.data);
    expect(codes.at(-1)).toMatchObject({ code: 'ERR_RATE_001' });
  });

  it('a client a few times over its limit is refused but stays connected', async () => {
    const server = await startServer(cleanup, { rateLimitMaxRequests: 5, rateLimitWindow: 60_000 });
    const client = cleanup.client(await TestClient.connect(server));
    const frame = encodeMessage({ type: FrameType.EVENT, event: 'spam', data: 1 });
    client.sendRaw(concatFrames(Array.from({ length: 20 }, () => frame)));
    // A heartbeat after the burst: its echo proves the burst was handled and the socket is open.
    client.send({ type: FrameType.HEARTBEAT, data: { t: 42 } });
    const echo = await client.next((f) => f.type === FrameType.HEARTBEAT_ACK);
    expect(echo.data).toEqual({ t: 42 });
    expect(client.frames.filter((f) => f.event === '__rate-limited__')).toHaveLength(15);
  });
});
