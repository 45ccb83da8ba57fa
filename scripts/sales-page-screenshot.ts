/**
 * `node --import tsx scripts/sales-page-screenshot.ts`: the picture of the sales system's page,
 * systems/sales/docs/images/sales-page.png. Same harness and seeding as the browser test
 * (test/web/sales-page.browser.test.ts): a LocalRuntime running the sales system, twelve stores'
 * history to the end of July 2015 written as collect writes it, eleven of them trained (SARIMAX or
 * forest, three backtest folds) and promoted through their registries, one failed.
 */
import path from 'node:path';
import { REPO_ROOT } from '../lib/config/repo-root.js';
import { salesSystem } from '../systems/sales/system.js';
import { launchChromium } from '../test/web/chromium.js';
import { startConsoleHarness } from '../test/web/console-harness.js';
import { seedSales } from '../test/web/sales-seed.js';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
const STORES = 12;
const FAILED = 12;
/** The generator's default span: 2013-01-01 to 2015-07-31, as Rossmann's train.csv. */
const DAYS = 942;
const SHOWN = 7;

const browser = await launchChromium();
const harness = await startConsoleHarness({ systems: [salesSystem] });
try {
  console.log(`Console ${harness.console.url}: training ${STORES - 1} stores …`);
  const champions = Object.fromEntries(
    Array.from({ length: STORES - 1 }, (_, i) => [i + 1, i % 2 === 0 ? 'forest' : 'sarimax'] as const),
  );
  await seedSales(harness.runtime, { stores: STORES, days: DAYS, champions, failed: [FAILED], folds: 3 });

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const tab = await context.newPage();
  await tab.goto(`${harness.console.url}/systems/sales?store=${SHOWN}`);
  await tab.locator(`svg[data-horizon="42"]`).waitFor();
  await tab.getByRole('table', { name: 'Stores with the worst error' }).waitFor();
  const file = path.join(REPO_ROOT, 'systems', 'sales', 'docs', 'images', 'sales-page.png');
  await tab.screenshot({ path: file, fullPage: true });
  console.log(`  ${path.relative(REPO_ROOT, file)}`);
  await context.close();
} finally {
  await browser.close();
  await harness.stop();
}
