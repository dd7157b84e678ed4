// Long-polling over raw HTTP: bad tokens, concurrent GETs, oversize and malformed bodies, bad
// content types, CORS, admission, and sessions abandoned mid-GET (no handles left behind).
import { request } from 'node:http';
import {
  DEFAULT_NAMESPACE,
  decodeFrameData,
  decodeFrames,
  encodeMessage,
  FrameType,
} from '@smartsocket/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AnyClient, realClient } from './helpers/real-client.js';
import { Cleanup, once, startServer } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const OCTET = { 'content-type': 'application/octet-stream' };

function base(port: number): string {
  return `http://127.0.0.1:${port}/smartsocket/poll`;
}

/** The ERROR frames of a body, decoded. */
async function errorsOf(res: Response): Promise<{ code: string; message: string }[]> {
  const body = new Uint8Array(await res.arrayBuffer());
  return decodeFrames(body)
    .filter((f) => f.type === FrameType.ERROR)
    .map((f) => decodeFrameData(f) as { code: string; message: string });
}

async function open(port: number, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(base(port), { method: 'POST', headers });
  expect(res.status).toBe(200);
  return res.text();
}

/** `fetch` bodies must be backed by a plain ArrayBuffer (the codec may hand out slab views). */
const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

const connectFrame = () =>
  own(
    encodeMessage({
      type: FrameType.CONNECT,
      namespace: DEFAULT_NAMESPACE,
      data: { caps: { compression: [], binary: true } },
    }),
  );

/** A polling client that keeps working while the raw requests misbehave around it. */
async function bystander(port: number): Promise<AnyClient> {
  const c = await realClient(cleanup, port, { transports: ['polling'] });
  await c.connect();
  return c;
}

async function stillWorks(c: AnyClient): Promise<void> {
  expect(await c.emitWithAck('echo', 'ok', { timeout: 5000 })).toBe('ok');
}

describe('polling protocol violations', () => {
  it('opens sessions under unguessable tokens that are not the socket id', async () => {
    const server = await startServer(cleanup);
    const connected = once<[{ id: string }]>(server, 'connected');
    const token = await open(server.port);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    const post = await fetch(`${base(server.port)}?token=${token}`, {
      method: 'POST',
      headers: OCTET,
      body: connectFrame(),
    });
    expect(post.status).toBe(200);
    const get = await fetch(`${base(server.port)}?token=${token}`);
    expect(get.headers.get('content-type')).toBe('application/octet-stream');
    const [answer] = decodeFrames(new Uint8Array(await get.arrayBuffer()));
    expect(answer!.type).toBe(FrameType.CONNECT);
    const [socket] = await connected;
    expect(token).not.toContain(socket.id);
    expect((decodeFrameData(answer!) as { id: string }).id).toBe(socket.id);
  });

  it('a held GET is answered empty after pollingTimeout, and the session lives on', async () => {
    const server = await startServer(cleanup, { pollingTimeout: 200 });
    const token = await open(server.port);
    const url = `${base(server.port)}?token=${token}`;
    await fetch(url, { method: 'POST', headers: OCTET, body: connectFrame() });
    await (await fetch(url)).arrayBuffer(); // the CONNECT answer
    const t0 = Date.now();
    const empty = await fetch(url);
    expect(empty.status).toBe(200);
    expect((await empty.arrayBuffer()).byteLength).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    const next = fetch(url);
    server.emit('hello', 1);
    const [frame] = decodeFrames(new Uint8Array(await (await next).arrayBuffer()));
    expect(frame!.event).toBe('hello');
  });

  it('unknown token → 400 with an ERROR body', async () => {
    const server = await startServer(cleanup);
    const res = await fetch(`${base(server.port)}?token=nope`);
    expect(res.status).toBe(400);
    expect((await errorsOf(res))[0]!.code).toBe('ERR_CONN_006');
    const post = await fetch(`${base(server.port)}?token=nope`, {
      method: 'POST',
      headers: OCTET,
      body: connectFrame(),
    });
    expect(post.status).toBe(400);
  });

  it('a second concurrent GET → 400; the first is still answered', async () => {
    const server = await startServer(cleanup, { enableRateLimiting: false });
    server.on('echo', (_s, d, ack) => ack?.(d));
    const other = await bystander(server.port);
    const token = await open(server.port);
    const url = `${base(server.port)}?token=${token}`;
    // The first GET is written completely, and another request answered after it, before the
    // second GET is sent: the server holds the first when the second arrives.
    const first = new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      const req = request(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 0));
    await (await fetch(`${base(server.port)}?token=marker`)).arrayBuffer();
    const second = await fetch(url);
    expect(second.status).toBe(400);
    expect((await errorsOf(second))[0]!.code).toBe('ERR_MSG_001');
    await fetch(url, { method: 'POST', headers: OCTET, body: connectFrame() });
    const res = await first;
    expect(res.status).toBe(200);
    expect(decodeFrames(new Uint8Array(res.body))[0]!.type).toBe(FrameType.CONNECT);
    await stillWorks(other);
  });

  it('a body over maxPayload → 413 (declared or streamed), never buffered whole', async () => {
    const server = await startServer(cleanup, { maxPayload: 1024 });
    server.on('echo', (_s, d, ack) => ack?.(d));
    const other = await bystander(server.port);
    const token = await open(server.port);
    const url = `${base(server.port)}?token=${token}`;
    const declared = await fetch(url, {
      method: 'POST',
      headers: OCTET,
      body: new Uint8Array(200 * 1024),
    });
    expect(declared.status).toBe(413);
    expect((await errorsOf(declared))[0]!.code).toBe('ERR_MSG_004');
    // Chunked, no Content-Length: refused once it grows past the bound; the rest is not read.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: OCTET }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(16 * 1024);
      let sent = 0;
      const pump = (): void => {
        while (sent < 64 && req.write(chunk)) sent++;
        if (sent < 64) req.once('drain', pump);
        else req.end();
      };
      pump();
    }).catch(() => 413);
    expect(streamed).toBe(413);
    await stillWorks(other);
  });

  it('malformed bodies and POST before CONNECT → ERROR ERR_MSG_001 and the session ends', async () => {
    const server = await startServer(cleanup);
    server.on('echo', (_s, d, ack) => ack?.(d));
    const other = await bystander(server.port);
    for (const body of [
      new Uint8Array([9, 9, 9, 9]),
      own(encodeMessage({ type: FrameType.EVENT, namespace: '/', event: 'early', data: 1 })),
    ]) {
      const token = await open(server.port);
      const url = `${base(server.port)}?token=${token}`;
      expect((await fetch(url, { method: 'POST', headers: OCTET, body })).status).toBe(200);
      const res = await fetch(url);
      expect((await errorsOf(res))[0]!.code).toBe('ERR_MSG_001');
      await vi.waitFor(async () => expect((await fetch(url)).status).toBe(400));
    }
    await stillWorks(other);
  });

  it('garbage content types → 415 ERR_MSG_001; bad methods → 405', async () => {
    const server = await startServer(cleanup);
    server.on('echo', (_s, d, ack) => ack?.(d));
    const other = await bystander(server.port);
    const token = await open(server.port);
    const url = `${base(server.port)}?token=${token}`;
    for (const type of ['text/plain', 'application/json', '%%%']) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': type },
        body: connectFrame(),
      });
      expect(res.status).toBe(415);
      expect((await errorsOf(res))[0]!.code).toBe('ERR_MSG_001');
    }
    const put = await fetch(url, { method: 'PUT', headers: OCTET, body: connectFrame() });
    expect(put.status).toBe(405);
    expect((await fetch(base(server.port))).status).toBe(405);
    await stillWorks(other);
  });

  it('admission: polling disabled → 400, full → 503 ERR_CONN_005', async () => {
    const wsOnly = await startServer(cleanup, { transports: ['websocket'] });
    const refused = await fetch(base(wsOnly.port), { method: 'POST' });
    expect(refused.status).toBe(400);
    const full = await startServer(cleanup, { maxConnections: 1 });
    await open(full.port);
    const res = await fetch(base(full.port), { method: 'POST' });
    expect(res.status).toBe(503);
    expect((await errorsOf(res))[0]!.code).toBe('ERR_CONN_005');
    expect(full.getConnectionStats().rejected).toBeGreaterThanOrEqual(1);
  });

  it('a server stopped while allowRequest runs opens no polling session after the drain', async () => {
    let entered: () => void = () => {};
    const inside = new Promise<void>((resolve) => (entered = resolve));
    let answer: (ok: boolean) => void = () => {};
    const server = await startServer(cleanup, {
      allowRequest: () =>
        new Promise<boolean>((resolve) => {
          answer = resolve;
          entered();
        }),
    });
    const opening = fetch(base(server.port), { method: 'POST' });
    await inside;
    const stopped = server.stop();
    answer(true);
    await stopped;
    // Refused with 503, or cut by stop() closing every HTTP connection: never a session.
    const res = await opening.catch(() => undefined);
    if (res) {
      expect(res.status).toBe(503);
      expect((await errorsOf(res))[0]!.code).toBe('ERR_CONN_001');
    }
    expect(server.getConnectionStats().active).toBe(0);
  });

  it('CORS: preflight answered, the exact origin echoed, credentials only for listed origins', async () => {
    const listed = await startServer(cleanup, { allowedOrigins: ['https://app.example'] });
    const pre = await fetch(base(listed.port), {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.headers.get('access-control-allow-headers')).toContain('content-type');
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    const foreign = await fetch(base(listed.port), {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const foreignPre = await fetch(base(listed.port), {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    expect(foreignPre.status).toBe(403);
    const ok = await fetch(base(listed.port), {
      method: 'POST',
      headers: { origin: 'https://app.example' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(ok.headers.get('vary')).toBe('Origin');

    const any = await startServer(cleanup);
    const anyRes = await fetch(base(any.port), {
      method: 'POST',
      headers: { origin: 'https://whoever.example' },
    });
    expect(anyRes.headers.get('access-control-allow-origin')).toBe('https://whoever.example');
    expect(anyRes.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('abandoned polling sessions', () => {
  it('a session abandoned mid-GET is closed within heartbeatInterval + heartbeatTimeout, leaving no handles', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length;
    const server = await startServer(cleanup, {
      heartbeatInterval: 150,
      heartbeatTimeout: 100,
      pollingTimeout: 60_000,
    });
    const gone = once<[unknown, string]>(server, 'disconnected');
    const token = await open(server.port);
    const url = `${base(server.port)}?token=${token}`;
    await fetch(url, { method: 'POST', headers: OCTET, body: connectFrame() });
    await (await fetch(url)).arrayBuffer(); // the CONNECT answer
    const abort = new AbortController();
    const held = fetch(url, { signal: abort.signal }).catch(() => undefined);
    await vi.waitFor(() => expect(server.getConnectionStats().active).toBe(1));
    abort.abort();
    await held;
    const t0 = Date.now();
    const [, reason] = await gone;
    expect(reason).toBe('transport error');
    expect(Date.now() - t0).toBeLessThan(250 + 2000);
    expect(server.getConnectionStats().active).toBe(0);
    await (await fetch(url)).arrayBuffer().catch(() => undefined);
    await server.stop();
    await vi.waitFor(
      () =>
        expect(
          process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length,
        ).toBeLessThanOrEqual(before),
      { timeout: 5000, interval: 50 },
    );
  });
});
