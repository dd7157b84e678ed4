// The dashboard page in headless Chromium against a server under light load (three real clients
// emitting): token prompt, live numbers, the socket list, the disconnect button, axe (WCAG AA).
// Screenshots are kept in test/artifacts/ (git-ignored) for a person to look at.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launchChromium } from '../../../test/support/chromium.js';
import type { SmartSocket } from '../src/index.js';
import { type AnyClient, realClient } from './helpers/real-client.js';
import { Cleanup, once, startServer } from './helpers/test-client.js';

const available = hasChromium;
if (!available && !process.env.CI)
  console.warn(
    `dashboard-browser.test.ts skipped: ${CHROMIUM} not found (apt-get install chromium)`,
  );

const TOKEN = 'dashboard-browser-token';
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** A server with three clients in rooms, each emitting a message every 50 ms (bounded). */
async function loadedServer(options: Record<string, unknown> = {}): Promise<{
  server: SmartSocket;
  clients: AnyClient[];
}> {
  const server = await startServer(cleanup, { heartbeatInterval: 300, ...options });
  server.namespace('/chat');
  server.on('connected', (socket) => socket.join(['lobby', `team-${socket.id.slice(0, 4)}`]));
  server.on('say', (socket, data) => socket.to('lobby').emit('said', data));
  const clients: AnyClient[] = [];
  for (let i = 0; i < 3; i++) {
    const client = await realClient(cleanup, server.port);
    await client.connect();
    clients.push(client);
    let sent = 0;
    const timer = setInterval(() => {
      // At most 2400 messages per client (two minutes), whatever happens to the test.
      if (++sent > 2400 || !client.connected) clearInterval(timer);
      else client.emit('say', { from: i, n: sent, text: 'hello dashboard' });
    }, 50);
    cleanup.add(() => clearInterval(timer));
  }
  return { server, clients };
}

async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol: the page's CSP (rightly) refuses an injected <script>.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(o: unknown): Promise<any> } }).axe;
    return axe.run({ runOnly: ['wcag2a', 'wcag2aa', 'best-practice'] });
  });
  return result.violations.map(
    (v: { id: string; nodes: { target: string[] }[] }) =>
      `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

describe.skipIf(!available && !process.env.CI)('dashboard in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('asks for the token, shows live numbers, lists the clients and disconnects one', async () => {
    const { server, clients } = await loadedServer({ metricsToken: TOKEN });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    cleanup.add(() => context.close());
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/401/.test(msg.text())) errors.push(msg.text());
    });
    await page.goto(`http://127.0.0.1:${server.port}/smartsocket/dashboard`);

    // Locked until the token is given; a wrong one is refused.
    await page.locator('#unlock').waitFor({ state: 'visible' });
    await page.screenshot({ path: `${ARTIFACTS}dashboard-locked.png` });
    await page.fill('#token', 'not-the-token');
    await page.click('#unlock-form button');
    await expect.poll(() => page.textContent('#unlock-error')).toMatch(/not accepted/);
    await page.fill('#token', TOKEN);
    await page.click('#unlock-form button');
    await page.locator('#main').waitFor({ state: 'visible' });

    // Live numbers: three connections, messages flowing in, the chart growing.
    await expect.poll(() => page.textContent('#m-connections'), { timeout: 10_000 }).toBe('3');
    await expect
      .poll(async () => Number(await page.textContent('#m-msg-in')), { timeout: 10_000 })
      .toBeGreaterThan(0);
    const points = () => page.getAttribute('#c-messages .l-in', 'points');
    const first = await points();
    await expect.poll(points, { timeout: 10_000 }).not.toBe(first);
    // A few seconds of history, so the screenshot shows a chart rather than two dots.
    await expect
      .poll(async () => (await points())?.split(' ').length ?? 0, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(6);
    await expect
      .poll(async () => (await page.textContent('#rooms'))?.includes('lobby'), { timeout: 10_000 })
      .toBe(true);

    // The per-socket view lists every client, each with a disconnect button (a token is set).
    const ids = clients.map((c) => c.id as string).sort();
    const listed = () =>
      page.$$eval('#sockets tr', (trs) => trs.map((tr) => tr.getAttribute('data-id')).sort());
    await expect.poll(listed, { timeout: 10_000 }).toEqual(ids);
    await expect
      .poll(async () => (await page.textContent('#m-latency'))?.endsWith('ms'))
      .toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}dashboard-desktop.png`, fullPage: true });

    // Disconnect the second client from the page.
    const victim = clients[1].id as string;
    page.once('dialog', (dialog) => void dialog.accept());
    const gone = once<[{ id: string }, string]>(server, 'disconnected');
    const clientGone = once<[string]>(clients[1], 'disconnected');
    await page.click(`button[aria-label="Disconnect socket ${victim}"]`);
    const [socket] = await gone;
    expect(socket.id).toBe(victim);
    await clientGone;
    await expect.poll(listed, { timeout: 10_000 }).toEqual(ids.filter((id) => id !== victim));
    await expect.poll(() => page.textContent('#m-connections'), { timeout: 10_000 }).toBe('2');
    expect(await page.textContent('#announce')).toContain(victim);
    expect(server.sockets.has(victim)).toBe(false);

    // Search by id narrows the list.
    const keep = ids.find((id) => id !== victim) as string;
    await page.fill('#search', keep.slice(0, 8));
    await expect.poll(listed, { timeout: 10_000 }).toEqual([keep]);
    await page.fill('#search', '');
    await expect.poll(listed, { timeout: 10_000 }).toHaveLength(2);

    // The namespace filter: nobody is in /chat.
    await page.selectOption('#namespace', '/chat');
    await expect.poll(listed, { timeout: 10_000 }).toEqual([]);
    expect(await page.textContent('#sockets-caption')).toBe('No sockets in /chat.');
    await page.selectOption('#namespace', '');
    await expect.poll(listed, { timeout: 10_000 }).toHaveLength(2);

    // Updates can be paused and resumed.
    await page.click('#pause');
    expect(await page.textContent('#status')).toBe('Paused');
    expect(await page.getAttribute('#pause', 'aria-pressed')).toBe('true');
    await page.click('#pause');
    await expect.poll(() => page.textContent('#status'), { timeout: 10_000 }).toBe('Live');

    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('reads well on a phone and in dark mode, with no disconnect button without a token', async () => {
    const { server } = await loadedServer();
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      colorScheme: 'dark',
    });
    cleanup.add(() => context.close());
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/smartsocket/dashboard`);
    await expect.poll(() => page.locator('#sockets tr').count(), { timeout: 10_000 }).toBe(3);
    await expect
      .poll(async () => Number(await page.textContent('#m-msg-out')), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(await page.locator('#sockets button:visible').count()).toBe(0);
    expect(await page.locator('#forget').isVisible()).toBe(false);
    // Nothing wider than the phone's screen.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${ARTIFACTS}dashboard-phone-dark.png`, fullPage: true });
    await page.screenshot({ path: `${ARTIFACTS}dashboard-phone-dark-top.png` });
    await page
      .locator('section[aria-labelledby="h-sockets"]')
      .screenshot({ path: `${ARTIFACTS}dashboard-phone-dark-sockets.png` });
    expect(await axeViolations(page)).toEqual([]);
  }, 60_000);
});
