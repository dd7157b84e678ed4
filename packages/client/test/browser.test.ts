// Runs the single-file browser build (dist/SmartSocketClient.js, built here from source) in
// headless Chromium against a protocol peer: connect, events, acks both ways, binary; and against
// the real server with encryption (noble) and compression (pako) on.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey } from '@smartsocket/crypto';
import { decodeFrameData, FrameType } from '@smartsocket/protocol';
import { SmartSocket } from '@smartsocket/server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launchChromium } from '../../../test/support/chromium.js';
import { buildBrowserBundle } from '../scripts/build-browser.mjs';
import { memoryLogger, startPeer } from './helpers/setup.js';

const available = hasChromium;
if (!available && !process.env.CI)
  console.warn(
    `browser.test.ts skipped: ${CHROMIUM} not found (apt-get install -y chromium); it always runs in CI`,
  );

describe.skipIf(!available && !process.env.CI)('browser build in headless Chromium', () => {
  let dir: string;
  let bundle: string;
  let bundleSize: { bytes: number; gzipBytes: number };
  let http: Server;
  let pageUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smartsocket-browser-'));
    const built = await buildBrowserBundle({ outfile: join(dir, 'SmartSocketClient.js') });
    bundle = readFileSync(built.outfile, 'utf8');
    bundleSize = built;
    http = createServer((req, res) => {
      if (req.url === '/SmartSocketClient.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      } else {
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><title>t</title><script src="/SmartSocketClient.js"></script>');
      }
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${(http.address() as { port: number }).port}/`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => http?.close(resolve));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is a small IIFE without ws, node:zlib or node:crypto', () => {
    expect(bundle).not.toMatch(/require\(["']ws["']\)/);
    expect(bundle).not.toMatch(/node:zlib|node:crypto|require\(["'](zlib|crypto)["']\)/);
    // 15.2 KB core (both transports) + 4.7 KB AES-GCM (noble) + 12.5 KB raw DEFLATE (pako)
    // + 4.3 KB session keys (HKDF-SHA256 from @noble/hashes, whose sha2 module brings SHA-512
    // along) = 36.7 KB today.
    expect(bundleSize.gzipBytes).toBeLessThan(38 * 1024);
  });

  it('exposes SmartSocketClient on window and exchanges events and acks', async () => {
    const peer = await startPeer();
    const page = await browser.newPage();
    try {
      await page.goto(pageUrl);
      const ready = peer.nextReady();
      const run = page.evaluate(async (url) => {
        const W = window as any;
        const client = new W.SmartSocketClient(url, { reconnectDelay: 50, randomizationFactor: 0 });
        const news = new Promise((resolve) =>
          client.on('news', (data: { n: number }, ack: (r: unknown) => void) => {
            ack(data.n + 1);
            resolve(data);
          }),
        );
        await client.connect();
        const viaPromise = await client.emitWithAck('save', { x: 1 });
        const viaCallback = await new Promise((resolve) => client.emit('save', { x: 2 }, resolve));
        client.emit('bin', { file: new Uint8Array([1, 2, 3]) });
        const received = await news;
        const result = {
          id: client.id,
          connected: client.connected,
          viaPromise,
          viaCallback,
          received,
          errorCode: new W.SmartSocketClient.SmartSocketError('ERR_ACK_001').code,
        };
        client.disconnect();
        return result;
      }, `${peer.url}/chat`);
      const socket = await ready;
      expect(socket.namespace).toBe('/chat');
      const s1 = await socket.nextEvent('save');
      socket.ack(s1.ackId!, { ok: true, echo: s1.data });
      const s2 = await socket.nextEvent('save');
      socket.ack(s2.ackId!, 'second');
      const bin = await socket.nextEvent('bin');
      expect(bin.data).toEqual({ file: new Uint8Array([1, 2, 3]) });
      socket.emit('news', { n: 41 }, 5);
      const ack = await socket.nextFrame((f) => f.type === FrameType.ACK);
      expect(ack.ackId).toBe(5);
      expect(decodeFrameData(ack)).toBe(42);
      expect(await run).toEqual({
        id: socket.id,
        connected: true,
        viaPromise: { ok: true, echo: { x: 1 } },
        viaCallback: 'second',
        received: { n: 41 },
        errorCode: 'ERR_ACK_001',
      });
      await socket.nextFrame((f) => f.type === FrameType.DISCONNECT);
    } finally {
      await page.close();
    }
  });

  it('talks to the real server', async () => {
    const server = new SmartSocket({ host: '127.0.0.1', port: 0, logger: memoryLogger() });
    server
      .namespace('/room')
      .on('echo', (_socket: any, data: any, ack: any) => ack?.({ echo: data }));
    const page = await browser.newPage();
    try {
      await server.start();
      await page.goto(pageUrl);
      const result = await page.evaluate(async (url) => {
        const client = new (window as any).SmartSocketClient(url);
        await client.connect();
        const res = await client.emitWithAck('echo', { hello: 'browser' });
        client.disconnect();
        return { res, namespace: client.namespace, transport: client.transport };
      }, `http://127.0.0.1:${server.port}/room`);
      expect(result).toEqual({
        res: { echo: { hello: 'browser' } },
        namespace: '/room',
        transport: 'websocket',
      });
    } finally {
      await page.close();
      await server.stop();
    }
  });

  it.each([
    ["transports: ['polling']", false],
    ['window.WebSocket removed', true],
  ])('long-polling from another origin (%s): acks, broadcasts, binary', async (_name, removeWs) => {
    const server = new SmartSocket({ host: '127.0.0.1', port: 0, logger: memoryLogger() });
    server.on('echo', (_socket: any, data: any, ack: any) => ack?.({ echo: data }));
    server.on('join', (socket: any, _data: any, ack: any) => {
      socket.join('fans');
      ack?.(true);
    });
    server.on('shout', () => server.to('fans').emit('news', { bin: new Uint8Array([9, 8, 7]) }));
    const page = await browser.newPage();
    try {
      await server.start();
      await page.goto(pageUrl);
      const result = await page.evaluate(
        async ({ url, removeWs }) => {
          const W = window as any;
          if (removeWs) delete W.WebSocket;
          const client = new W.SmartSocketClient(url, removeWs ? {} : { transports: ['polling'] });
          await client.connect();
          const res = await client.emitWithAck('echo', { hello: 'polling' });
          await client.emitWithAck('join', null);
          const news = new Promise<any>((resolve) => client.on('news', resolve));
          client.emit('shout');
          const got = await news;
          const out = {
            res,
            transport: client.transport,
            bin: Array.from(got.bin as Uint8Array),
            isBytes: got.bin instanceof Uint8Array,
            hasWebSocket: typeof W.WebSocket,
          };
          client.disconnect();
          return out;
        },
        { url: `http://127.0.0.1:${server.port}`, removeWs },
      );
      expect(result).toEqual({
        res: { echo: { hello: 'polling' } },
        transport: 'polling',
        bin: [9, 8, 7],
        isBytes: true,
        hasWebSocket: removeWs ? 'undefined' : 'function',
      });
      expect(server.getConnectionStats().byTransport.websocket).toBe(0);
    } finally {
      await page.close();
      await server.stop();
    }
  });

  it('encrypts and compresses against the real server (sealed, deflated frames both ways)', async () => {
    const key = generateKey();
    const server = new SmartSocket({
      host: '127.0.0.1',
      port: 0,
      logger: memoryLogger(),
      encryptionKey: key,
    });
    server.on('echo', (_socket: any, data: any, ack: any) => ack?.(data));
    server.on('connected', (socket: any) => socket.emit('welcome', { rows: bigRows() }));
    const page = await browser.newPage();
    try {
      await server.start();
      await page.goto(pageUrl);
      const url = `http://127.0.0.1:${server.port}`;
      const result = await page.evaluate(
        async ({ url, key, wrongKey }) => {
          const W = window as any;
          // First-frame flags byte of every WebSocket message, as sent and as received.
          const sent: number[] = [];
          const received: number[] = [];
          class SpyWebSocket extends WebSocket {
            constructor(u: string, p?: string[]) {
              super(u, p);
              this.addEventListener('message', (e) =>
                received.push(new Uint8Array(e.data as ArrayBuffer)[2]!),
              );
            }
            override send(d: Uint8Array): void {
              sent.push(d[2]!);
              super.send(d);
            }
          }
          const big = {
            rows: Array.from({ length: 300 }, (_, i) => ({ id: i, name: `player ${i}` })),
          };
          const client = new W.SmartSocketClient(url, {
            encryptionKey: key,
            WebSocket: SpyWebSocket,
          });
          const welcome = new Promise((resolve) => client.on('welcome', resolve));
          await client.connect();
          const echoed = await client.emitWithAck('echo', big);
          const got = await welcome;
          client.disconnect();
          const wrong = new W.SmartSocketClient(url, { encryptionKey: wrongKey });
          const refused = await wrong.connect().then(
            () => 'connected',
            (e: { code: string }) => e.code,
          );
          return {
            echoOk: JSON.stringify(echoed) === JSON.stringify(big),
            welcomeRows: (got as { rows: unknown[] }).rows.length,
            sent,
            received,
            refused,
          };
        },
        { url, key, wrongKey: generateKey() },
      );
      expect(result.echoOk).toBe(true);
      expect(result.welcomeRows).toBe(300);
      expect(result.refused).toBe('ERR_CONN_004');
      const ENCRYPTED = 0x40;
      const COMPRESSED = 0x80;
      expect(result.sent.length).toBeGreaterThanOrEqual(2);
      expect(result.sent.every((f) => f & ENCRYPTED)).toBe(true);
      expect(result.received.every((f) => f & ENCRYPTED)).toBe(true);
      expect(result.sent.some((f) => f & COMPRESSED)).toBe(true);
      expect(result.received.some((f) => f & COMPRESSED)).toBe(true);
    } finally {
      await page.close();
      await server.stop();
    }
  });
});

function bigRows(): unknown[] {
  return Array.from({ length: 300 }, (_, i) => ({ id: i, name: `player ${i}` }));
}
