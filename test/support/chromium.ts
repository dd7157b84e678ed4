// Headless Chromium for browser tests: Debian's binary, launched with the flags this sandboxed,
// offline machine needs (no sandbox as root, no background network, no GPU).
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium; tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** True when browser tests can run here; in CI they must (`.ci/run` installs chromium). */
export const hasChromium = existsSync(CHROMIUM);

/** Launches headless Chromium with the flags every browser test uses. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--headless',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}
