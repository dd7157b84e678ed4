// Every example runs: the Express chat (rooms, typed events, the page and its browser client),
// the same over HTTPS with its start-up certificate, and the encrypted pair as its own process.
import { execFile } from 'node:child_process';
import { request } from 'node:https';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SmartSocketClient } from '@smartsocket/client';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CHROMIUM, hasChromium, launchChromium } from '../../test/support/chromium.js';
import { buildClientBundle } from '../../test/support/client-bundle.js';
import { startChat } from '../express-chat/app.js';
import type { ClientToServer, ServerToClient } from '../express-chat/chat-events.js';
import { startHttpsChat } from '../https-chat/app.js';

const run = promisify(execFile);
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

type ChatClient = SmartSocketClient<ServerToClient, ClientToServer>;

function chatClient(url: string, options: Record<string, unknown> = {}): ChatClient {
  const client: ChatClient = new SmartSocketClient(url, { maxReconnectAttempts: 0, ...options });
  cleanups.push(() => client.disconnect());
  return client;
}

function next<E extends keyof ServerToClient>(client: ChatClient, event: E) {
  return new Promise<Parameters<ServerToClient[E]>[0]>((resolve) =>
    client.on(event, ((data: never) => resolve(data)) as never),
  );
}

/** Two members of `lobby`, one of `other`: a message reaches its room only. */
async function playChat(url: string, options: Record<string, unknown> = {}) {
  const [ann, bob, eve] = [
    chatClient(url, options),
    chatClient(url, options),
    chatClient(url, options),
  ];
  await Promise.all([ann.connect(), bob.connect(), eve.connect()]);
  expect(await ann.emitWithAck('join', { room: 'lobby', name: 'ann' })).toEqual({
    members: ['ann'],
  });
  const annSeesBob = next(ann, 'joined');
  expect(await bob.emitWithAck('join', { room: 'lobby', name: 'bob' })).toEqual({
    members: ['ann', 'bob'],
  });
  expect(await annSeesBob).toEqual({ room: 'lobby', name: 'bob' });
  expect(await eve.emitWithAck('join', { room: 'other', name: 'eve' })).toEqual({
    members: ['eve'],
  });
  const eveHears: string[] = [];
  eve.on('said', (m) => eveHears.push(m.text));
  const bobHears = next(bob, 'said');
  expect(await ann.emitWithAck('say', { text: 'hello lobby' })).toEqual({ ok: true });
  expect(await bobHears).toMatchObject({ room: 'lobby', from: 'ann', text: 'hello lobby' });
  // A later message in eve's own room arrives after ann's would have: eve never got ann's.
  const eveOwn = next(eve, 'said');
  await eve.emitWithAck('say', { text: 'marker' });
  expect((await eveOwn).text).toBe('marker');
  expect(eveHears).toEqual(['marker']);
  const annSeesLeave = next(ann, 'left');
  bob.disconnect();
  expect(await annSeesLeave).toEqual({ room: 'lobby', name: 'bob' });
}

describe('express-chat', () => {
  it('serves the page and the browser client, and chats by room with typed events', async () => {
    const chat = await startChat({ port: 0 });
    cleanups.push(() => chat.close());
    const page = await fetch(`${chat.url}/`);
    expect(await page.text()).toContain('<script src="/smartsocket/client.js"></script>');
    expect((await fetch(`${chat.url}/health`)).status).toBe(200);
    await playChat(chat.url);
  });
});

if (!hasChromium && !process.env.CI)
  console.warn(`examples.test.ts: browser part skipped, ${CHROMIUM} not found`);

describe.skipIf(!hasChromium && !process.env.CI)('express-chat in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    await buildClientBundle();
    browser = await launchChromium();
  }, 60_000);
  afterAll(() => browser?.close());

  it('two tabs join the lobby and chat through the page as served', async () => {
    const chat = await startChat({ port: 0 });
    cleanups.push(() => chat.close());
    const [ann, bob] = [await browser.newPage(), await browser.newPage()];
    cleanups.push(
      () => ann.close(),
      () => bob.close(),
    );
    const problems: string[] = [];
    for (const page of [ann, bob]) {
      page.on('console', (m) => problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`${chat.url}/`);
    }
    for (const [page, name] of [
      [ann, 'ann'],
      [bob, 'bob'],
    ] as const) {
      await page.fill('#name', name);
      await page.click('#join button');
      await page.waitForFunction(
        (n) => document.getElementById('log')!.textContent!.includes(`in lobby:`) && n,
        name,
      );
    }
    await ann.fill('#text', 'hi from a browser');
    await ann.click('#say button');
    await bob.waitForFunction(() =>
      document.getElementById('log')!.textContent!.includes('ann: hi from a browser'),
    );
    expect(problems).toEqual([]);
  });
});

describe('https-chat', () => {
  it('runs the same chat over HTTPS and wss:// with the certificate made at start-up', async () => {
    const chat = await startHttpsChat({ port: 0 });
    cleanups.push(() => chat.close());
    expect(chat.url).toMatch(/^https:\/\//);
    const html = await new Promise<string>((resolve, reject) => {
      request(`${chat.url}/`, { ca: chat.cert }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(body));
      })
        .on('error', reject)
        .end();
    });
    expect(html).toContain('SmartSocket chat over HTTPS');
    // Node clients trust the self-signed certificate explicitly (browsers ask the user).
    const ca = chat.cert;
    class TrustingWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { ca });
      }
    }
    await playChat(chat.url, { WebSocket: TrustingWebSocket });
  });
});

describe('encrypted', () => {
  it('runs as its own process: sealed transfer and ack, a wrong key refused', async () => {
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--conditions=@smartsocket/source', 'encrypted/main.ts'],
      { cwd, timeout: 30_000 },
    );
    expect(stdout).toBe('transfer: { ok: true, id: 1 }\nbalance: 7500\nwrong key: ERR_CONN_004\n');
  }, 40_000);
});
