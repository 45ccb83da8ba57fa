import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium: `npx playwright install` cannot download browsers on these machines. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless chromium for the console's browser tests and screenshots. Playwright gives every
 * launch a fresh temporary profile (user-data-dir). Background networking, component updates
 * and sync are off: on a closed network they fail at start and slow the browser down.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `The console's browser tests need Debian's chromium at ${CHROMIUM}: install it with \`apt-get install chromium\` (playwright-core drives it; \`npx playwright install\` cannot download browsers here).`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
