// `GET {path}/client.js` (serveClient): the browser bundle with ETag, 304 and gzip, and a page
// whose `<script src="/smartsocket/client.js">` connects from headless Chromium without warnings.
import { existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { generateKey } from '@smartsocket/crypto';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launchChromium } from '../../../test/support/chromium.js';
import { buildClientBundle } from '../../../test/support/client-bundle.js';
import { Cleanup, startServer } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

beforeAll(async () => {
  expect(existsSync(await buildClientBundle())).toBe(true);
}, 60_000);

function get(port: number, path: string, headers: Record<string, string> = {}) {
  return fetch(`http://127.0.0.1:${port}${path}`, { headers });
}

describe('serveClient', () => {
  it('serves the minified bundle with an ETag, Cache-Control and a 304 on If-None-Match', async () => {
    const server = await startServer(cleanup);
    const res = await get(server.port, '/smartsocket/client.js?v=1', {
      'accept-encoding': 'identity',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=0');
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const body = await res.text();
    expect(body).toContain('SmartSocketClient');
    expect(body.split('\n').length).toBeLessThan(5); // minified
    const again = await get(server.port, '/smartsocket/client.js', { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('sends it gzipped to clients that accept gzip, and answers HEAD without a body', async () => {
    const server = await startServer(cleanup);
    const url = `http://127.0.0.1:${server.port}/smartsocket/client.js`;
    const raw = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>(
      (resolve, reject) => {
        import('node:http').then(({ get: httpGet }) =>
          httpGet(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
          }).on('error', reject),
        );
      },
    );
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(raw.body).toString()).toContain('SmartSocketClient');
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('serves the chunks the main script imports next to it, and nothing else of the build', async () => {
    const server = await startServer(cleanup);
    const chunk = await get(server.port, '/smartsocket/SmartSocketClient.deflate.js');
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(chunk.headers.get('etag')).toMatch(/^".+"$/);
    for (const path of [
      '/smartsocket/SmartSocketClient.nope.js',
      '/smartsocket/index.js',
      '/smartsocket/SmartSocketClient..js',
      '/smartsocket/../package.json',
      '/smartsocket/SmartSocketClient.js.map',
    ])
      expect((await get(server.port, path)).status, path).toBe(404);
  });

  it('follows a custom path, and serveClient: false leaves the route to the application', async () => {
    const custom = await startServer(cleanup, { path: '/rt' });
    expect((await get(custom.port, '/rt/client.js')).status).toBe(200);
    expect((await get(custom.port, '/smartsocket/client.js')).status).toBe(404);
    const off = await startServer(cleanup, { serveClient: false });
    expect((await get(off.port, '/smartsocket/client.js')).status).toBe(404);
  });
});

if (!hasChromium && !process.env.CI)
  console.warn(`client-bundle.test.ts: Chromium part skipped, ${CHROMIUM} not found`);

describe.skipIf(!hasChromium && !process.env.CI)('serveClient in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(() => browser?.close());

  it('lets <script src="/smartsocket/client.js"> connect, chunks included, with no console warning', async () => {
    const { createServer } = await import('node:http');
    const http = createServer((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>chat</title><script src="/smartsocket/client.js"></script>');
    });
    // Compression is on by default and a key is set: connecting loads the deflate and the seal
    // chunks from the server too, next to client.js.
    const key = generateKey();
    const server = await startServer(cleanup, { server: http, encryptionKey: key });
    server.on('hello', (_socket, data, ack) => ack?.({ echo: data }));
    const page = await browser.newPage();
    cleanup.add(() => page.close());
    const console: string[] = [];
    const fetched: string[] = [];
    page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
    page.on('requestfinished', (r) => fetched.push(new URL(r.url()).pathname));
    await page.goto(`http://127.0.0.1:${server.port}/`);
    const answer = await page.evaluate(async (encryptionKey) => {
      const client = new (window as any).SmartSocketClient(location.origin, { encryptionKey });
      await client.connect();
      const res = await client.emitWithAck('hello', 'browser');
      client.disconnect();
      return res;
    }, key);
    expect(answer).toEqual({ echo: 'browser' });
    expect(fetched).toContain('/smartsocket/SmartSocketClient.deflate.js');
    expect(fetched).toContain('/smartsocket/SmartSocketClient.seal.js');
    expect(console).toEqual([]);
  });
});
