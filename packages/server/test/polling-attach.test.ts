// Both transports on a server attached to an Express app and to an https server with a
// self-signed certificate made here; the app's own routes keep answering.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SmartSocket } from '../src/index.js';
import { type AnyClient, realClientAt } from './helpers/real-client.js';
import { Cleanup } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

let cert: { key: string; cert: string };
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'smartsocket-cert-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-days',
      '1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  cert = {
    key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function listen(server: Server | HttpsServer): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.add(
    () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  );
  return (server.address() as { port: number }).port;
}

async function attach(server: Server | HttpsServer): Promise<SmartSocket> {
  const smart = new SmartSocket({ server });
  smart.on('echo', (_s, data, ack) => ack?.(data));
  await smart.start();
  cleanup.add(() => smart.stop());
  return smart;
}

async function bothTransports(url: string, extra: Record<string, unknown> = {}): Promise<void> {
  for (const transports of [['websocket'], ['polling']]) {
    const client: AnyClient = await realClientAt(cleanup, url, { transports, ...extra });
    await client.connect();
    expect(client.transport).toBe(transports[0]);
    expect(await client.emitWithAck('echo', { via: transports[0] }, { timeout: 5000 })).toEqual({
      via: transports[0],
    });
  }
}

describe('attached to an app server', () => {
  it('Express: both transports work and the routes still answer', async () => {
    const app = express();
    app.get('/hello', (_req, res) => {
      res.json({ hello: 'express' });
    });
    const http = createHttpServer(app);
    const port = await listen(http);
    await attach(http);
    await bothTransports(`http://127.0.0.1:${port}`);
    const res = await fetch(`http://127.0.0.1:${port}/hello`);
    expect(await res.json()).toEqual({ hello: 'express' });
    expect((await fetch(`http://127.0.0.1:${port}/nothing`)).status).toBe(404);
  });

  it('https with a self-signed certificate: both transports work and the routes still answer', async () => {
    const https = createHttpsServer(cert, (_req, res) => res.end('app route'));
    const port = await listen(https);
    await attach(https);
    // The test's own certificate: trusted for this process's fetch and ws only.
    const previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    cleanup.add(() => {
      if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous;
    });
    await bothTransports(`https://localhost:${port}`);
    const res = await fetch(`https://localhost:${port}/x`);
    expect(await res.text()).toBe('app route');
  });
});
