// Browser-test helpers for the quiz page: let animations settle, run axe-core, and save phone
// and desktop screenshots of a screen as test artefacts (git-ignored, never committed).
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** Where screenshots go: QUIZ_SCREENSHOT_DIR, or apps/quiz/test-artifacts/screenshots. */
export const SHOTS_DIR =
  process.env.QUIZ_SCREENSHOT_DIR ??
  fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };
/** The narrowest phones still in use: checked for sideways scrolling only. */
export const SMALL_PHONE = { width: 320, height: 640 };

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Waits for every finite animation (screen entrances, the podium rising) to finish. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Number.POSITIVE_INFINITY)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
}

/** axe-core's serious and critical violations on the page, as `rule: target` lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as any).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.map((n: any) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`),
    }));
  });
  return violations
    .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v: { id: string; targets: string[] }) => v.targets.map((t) => `${v.id}: ${t}`));
}

/** Whether the page is wider than its viewport (it would scroll sideways). */
const overflows = (page: Page): Promise<boolean> =>
  page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

/**
 * Checks one screen at phone and desktop sizes: screenshots `<name>-phone.png` and
 * `<name>-desktop.png`, and returns the axe violations found at either size, and any size
 * (320 px wide included) at which the page scrolls sideways. The page's own viewport is
 * restored afterwards.
 */
export async function inspect(page: Page, name: string): Promise<string[]> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const original = page.viewportSize();
  const found: string[] = [];
  for (const [label, size] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(size);
    await settle(page);
    await page.screenshot({ path: join(SHOTS_DIR, `${name}-${label}.png`), fullPage: true });
    for (const v of await axeViolations(page)) found.push(`${name} (${label}) ${v}`);
    if (await overflows(page)) found.push(`${name} (${label}) scrolls sideways`);
  }
  await page.setViewportSize(SMALL_PHONE);
  if (await overflows(page)) found.push(`${name} (320 px) scrolls sideways`);
  if (original) await page.setViewportSize(original);
  return found;
}
