// The real page in headless Chromium: a host tab and a player tab play a question, then the
// player reloads and is back in the game with its score, then the network drops and both come
// back on their own. Screenshots of each step go to the test artefacts directory.
import { mkdirSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launchChromium } from '../../../test/support/chromium.js';
import type { Question } from '../src/game.js';
import { type QuizApp, startQuizApp } from '../src/quiz-app.js';
import { SHOTS_DIR } from './helpers/page-check.js';

const available = hasChromium;
if (!available && !process.env.CI)
  console.warn(`browser.test.ts skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

const questions: Question[] = [
  {
    text: 'Which planet is known as the Red Planet?',
    choices: ['Venus', 'Mars', 'Jupiter', 'Mercury'],
    answer: 1,
  },
  { text: 'How many bits are in a byte?', choices: ['4', '8', '16', '32'], answer: 1 },
];

describe.skipIf(!available && !process.env.CI)('quiz page in headless Chromium', () => {
  let app: QuizApp;
  let browser: Browser;
  const tcp = new Set<Socket>();
  const shot = async (page: Page, name: string): Promise<void> => {
    mkdirSync(SHOTS_DIR, { recursive: true });
    await page.screenshot({ path: join(SHOTS_DIR, `reload-${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    app = await startQuizApp({
      port: 0,
      host: '127.0.0.1',
      quiz: { questions, ordered: true, questionTimeMs: 20_000, revealTimeMs: 20_000 },
    });
    app.http.on('connection', (s: Socket) => {
      tcp.add(s);
      s.once('close', () => tcp.delete(s));
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('hosts, joins, answers, and survives a player reload', async () => {
    const errors: string[] = [];
    // Separate contexts: separate localStorage, like two devices.
    const host = await (await browser.newContext()).newPage();
    const player = await (
      await browser.newContext({ viewport: { width: 390, height: 800 } })
    ).newPage();
    for (const page of [host, player]) page.on('pageerror', (err) => errors.push(err.message));

    await host.goto(app.url);
    await host.locator('#status[data-state="online"]').waitFor();
    await shot(host, '0-home');
    await host.click('#host-btn');
    const code = (await host.locator('#lobby-code').textContent()) ?? '';
    expect(code).toMatch(/^[A-Z]{4}$/);
    await shot(host, '1-host-lobby');

    await player.goto(`${app.url}?code=${code}`);
    expect(await player.inputValue('#join-code')).toBe(code);
    await player.fill('#join-name', 'Ada');
    await player.click('#join-form button[type="submit"]');
    await player.getByText("You're in, Ada!").waitFor();
    await host.locator('.players li', { hasText: 'Ada' }).waitFor();
    await shot(player, '2-player-lobby');

    await host.click('#start-btn');
    await player.getByText('Which planet is known as the Red Planet?').waitFor();
    await player.click('.choice[data-i="1"]');
    const feedback = await player.locator('.feedback.ok').textContent();
    const points = Number(/\+(\d+)/.exec(feedback ?? '')?.[1]);
    expect(points).toBeGreaterThan(500);
    // The only player answered: everyone sees the reveal and the live leaderboard.
    await host.locator('#next-btn').waitFor();
    await host.locator('#board-list li', { hasText: points.toLocaleString('en') }).waitFor();
    await shot(player, '3-player-reveal');
    await shot(host, '3-host-reveal');

    await player.reload();
    await player.getByText(`You are #1 with ${points} points`).waitFor();
    await player.locator('#board-list li.me', { hasText: points.toLocaleString('en') }).waitFor();

    await host.click('#next-btn');
    await player.getByText('How many bits are in a byte?').waitFor();
    await shot(player, '4-player-question-after-reload');

    // The network drops for a moment: both pages recover their sessions (no visible change) and
    // play on.
    for (const s of tcp) s.destroy();
    for (const page of [player, host])
      await page.locator('#status[data-recovered="true"]').waitFor({ timeout: 15_000 });
    await player.locator('#status[data-state="online"]').waitFor({ timeout: 15_000 });
    await host.locator('#status[data-state="online"]').waitFor({ timeout: 15_000 });
    await player.click('.choice[data-i="1"]');
    const second = Number(
      /\+(\d+)/.exec((await player.locator('.feedback.ok').textContent()) ?? '')?.[1],
    );
    await host
      .locator('#board-list li', { hasText: (points + second).toLocaleString('en') })
      .waitFor();
    await shot(host, '5-host-after-network-drop');
    expect(errors).toEqual([]);
  }, 60_000);
});
