// Runs the browser build (dist/SmartSocketClient.js and its lazy chunks, built here from source)
// in headless Chromium: its size bounds; against a protocol peer (events, acks, binary, bombs);
// against the real server with compression (native streams, or pako) and encryption on.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { generateKey } from '@smartsocket/crypto';
import { decodeFrameData, encodeFrame, FrameFlag, FrameType } from '@smartsocket/protocol';
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
  let bundleSize: Awaited<ReturnType<typeof buildBrowserBundle>>;
  let http: Server;
  let pageUrl: string;
  let browser: Browser;
  /** Every URL the page asked the HTTP server for (which chunks a page loaded). */
  const requested: string[] = [];
  const chunksLoaded = () =>
    requested.filter((u) => /\.(deflate|pako|seal|noble)\.js$/.test(u)).sort();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smartsocket-browser-'));
    const built = await buildBrowserBundle({ outfile: join(dir, 'SmartSocketClient.js') });
    bundle = readFileSync(built.outfile, 'utf8');
    bundleSize = built;
    // In a directory of their own, not the page's: chunks must load relative to the script.
    const files = new Map<string, string>([['/lib/SmartSocketClient.js', bundle]]);
    for (const chunk of Object.values(built.chunks))
      files.set(`/lib/${basename(chunk.path)}`, readFileSync(chunk.path, 'utf8'));
    http = createServer((req, res) => {
      requested.push(req.url ?? '');
      const js = files.get(req.url ?? '');
      if (js !== undefined) {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      } else {
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><title>t</title><script src="/lib/SmartSocketClient.js"></script>');
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

  it('is a small IIFE without ws, node:zlib or node:crypto, its chunks beside it', () => {
    expect(bundle).not.toMatch(/require\(["']ws["']\)/);
    expect(bundle).not.toMatch(/node:zlib|node:crypto|require\(["'](zlib|crypto)["']\)/);
    for (const chunk of Object.values(bundleSize.chunks)) {
      const text = readFileSync(chunk.path, 'utf8');
      expect(text).not.toMatch(/node:zlib|node:crypto|require\(["'](zlib|crypto|ws)["']\)/);
      // One SmartSocketError for all files: chunks take the main script's.
      expect(text).not.toMatch(/class \w+ extends Error/);
    }
  });

  it('stays within its size bounds (min+gzip)', () => {
    const { deflate, pako, seal, noble } = bundleSize.chunks;
    const KB = 1024;
    // Core: both transports, acks, queue, reconnection, sequencing and recovery (~0.7 KB of it);
    // no compression, no encryption.
    expect(bundleSize.gzipBytes).toBeLessThan(19 * KB);
    // Compression with the browser's CompressionStream/DecompressionStream.
    expect(deflate.gzipBytes).toBeLessThan(1 * KB);
    // Encryption with WebCrypto (AES-GCM, HKDF, the session key schedule).
    expect(seal.gzipBytes).toBeLessThan(2.5 * KB);
    // Everything a modern page loads with compression and encryption on.
    expect(bundleSize.gzipBytes + deflate.gzipBytes + seal.gzipBytes).toBeLessThan(21.5 * KB);
    // Fallbacks, fetched only where deflate-raw streams or crypto.subtle are missing.
    expect(pako.gzipBytes).toBeLessThan(14 * KB);
    expect(noble.gzipBytes).toBeLessThan(9.5 * KB);
  });

  // The goal (core ≤ 10 KB, everything ≤ 14.7 KB, Socket.IO's client) is not met yet: this
  // test is expected to fail, and starts "failing" the day it is met, to tighten the bounds.
  it.fails('meets the size goal: core ≤ 10 KB, everything ≤ 14.7 KB', () => {
    const { deflate, seal } = bundleSize.chunks;
    expect(bundleSize.gzipBytes).toBeLessThanOrEqual(10 * 1024);
    expect(bundleSize.gzipBytes + deflate.gzipBytes + seal.gzipBytes).toBeLessThanOrEqual(
      14.7 * 1024,
    );
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

  it.each([
    ['native streams', false],
    ['CompressionStream and crypto.subtle removed: the pako and noble fallbacks', true],
  ])(
    'compression and encryption against the real server (%s): order, acks, binary',
    async (_name, removeNative) => {
      const key = generateKey();
      const server = new SmartSocket({
        host: '127.0.0.1',
        port: 0,
        logger: memoryLogger(),
        encryptionKey: key,
        compressionThreshold: 256,
      });
      // Echoes every message back as an event, then acks it: the page checks both orders.
      server.on('up', (socket: any, data: any, ack: any) => {
        socket.emit('down', data);
        ack?.({ n: data.n, bin: data.bin });
      });
      const page = await browser.newPage();
      requested.length = 0;
      try {
        await server.start();
        await page.goto(pageUrl);
        const result = await page.evaluate(
          async ({ url, key, removeNative }) => {
            const W = window as any;
            if (removeNative) {
              delete W.CompressionStream;
              delete W.DecompressionStream;
              // Only the random numbers stay (every browser has them; noble needs them).
              const random = crypto.getRandomValues.bind(crypto);
              Object.defineProperty(window, 'crypto', { value: { getRandomValues: random } });
            }
            const client = new W.SmartSocketClient(url, { encryptionKey: key });
            const down: number[] = [];
            const errors: string[] = [];
            client.on('error', (e: { code: string }) => errors.push(e.code));
            const total = 40;
            const allDown = new Promise<void>((resolve) =>
              client.on('down', (d: { n: number }) => {
                down.push(d.n);
                if (down.length === total) resolve();
              }),
            );
            await client.connect();
            // Large (compressed) and small (not) alternate: async deflate/inflate must not reorder.
            const acks = Array.from({ length: total }, (_, n) =>
              client.emitWithAck('up', {
                n,
                pad: n % 2 === 0 ? 'x'.repeat(4000 + n) : '',
                bin: new Uint8Array([n, 255 - n]),
              }),
            );
            const answers = await Promise.all(acks);
            await allDown;
            client.disconnect();
            return {
              down,
              acked: answers.map((a: { n: number }) => a.n),
              binOk: answers.every(
                (a: { n: number; bin: Uint8Array }) =>
                  a.bin instanceof Uint8Array && a.bin[0] === a.n && a.bin[1] === 255 - a.n,
              ),
              errors,
            };
          },
          { url: `http://127.0.0.1:${server.port}`, key, removeNative },
        );
        const order = Array.from({ length: 40 }, (_, i) => i);
        expect(result).toEqual({ down: order, acked: order, binOk: true, errors: [] });
        // With native streams and WebCrypto the pako and noble chunks are never fetched.
        expect(chunksLoaded()).toEqual(
          removeNative
            ? [
                '/lib/SmartSocketClient.deflate.js',
                '/lib/SmartSocketClient.noble.js',
                '/lib/SmartSocketClient.pako.js',
              ]
            : ['/lib/SmartSocketClient.deflate.js', '/lib/SmartSocketClient.seal.js'],
        );
      } finally {
        await page.close();
        await server.stop();
      }
    },
  );

  it.each([
    ['native streams', false],
    ['pako fallback', true],
  ])(
    'refuses a decompression bomb with ERR_MSG_004 and goes on in order (%s)',
    async (_name, removeNative) => {
      const peer = await startPeer({ compression: true, maxPayload: 64 * 1024 });
      const page = await browser.newPage();
      try {
        await page.goto(pageUrl);
        const ready = peer.nextReady();
        const run = page.evaluate(
          async ({ url, removeNative }) => {
            const W = window as any;
            if (removeNative) {
              delete W.CompressionStream;
              delete W.DecompressionStream;
            }
            const client = new W.SmartSocketClient(url, { maxReconnectAttempts: 0 });
            const seen: unknown[] = [];
            const errors: string[] = [];
            client.on('error', (e: { code: string }) => errors.push(e.code));
            const done = new Promise<void>((resolve) =>
              client.on('feed', (d: unknown) => {
                seen.push(d);
                if (d === 'end') resolve();
              }),
            );
            await client.connect();
            await done;
            const connected = client.connected;
            client.disconnect();
            return { seen, errors, connected };
          },
          { url: peer.url, removeNative },
        );
        const socket = await ready;
        const feed = (data: Uint8Array) =>
          encodeFrame({ type: FrameType.EVENT, event: 'feed', flags: FrameFlag.COMPRESSED, data });
        // 8 MB of zeros in a few KB: past the 64 KB maxPayload, so it must stop while inflating.
        const bomb = deflateRawSync(Buffer.from(JSON.stringify('0'.repeat(8 * 1024 * 1024))));
        expect(bomb.length).toBeLessThan(64 * 1024);
        const big = { rows: bigRows() };
        socket.emit('feed', big, undefined, { compress: true });
        socket.sendRaw(feed(bomb));
        socket.emit('feed', 'small');
        socket.sendRaw(feed(new Uint8Array([0xff, 0xee, 0xdd, 0xcc])));
        socket.emit('feed', big, undefined, { compress: true });
        socket.emit('feed', 'end');
        const result = await run;
        expect(result).toEqual({
          seen: [big, 'small', big, 'end'],
          errors: ['ERR_MSG_004', 'ERR_MSG_002'],
          connected: true,
        });
      } finally {
        await page.close();
      }
    },
  );
});

function bigRows(): unknown[] {
  return Array.from({ length: 300 }, (_, i) => ({ id: i, name: `player ${i}` }));
}
