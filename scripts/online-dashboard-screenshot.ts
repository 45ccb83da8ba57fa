/**
 * `node --import tsx scripts/online-dashboard-screenshot.ts`: the picture of the online system's
 * live dashboard, docs/images/online-dashboard.png. Same harness as the browser tests (test/web):
 * a LocalRuntime running the online system, its poller fed from the generator ten times faster
 * than the live 2 seconds, across the abrupt concept drift at tick 3,000, so the charts show the
 * models losing accuracy at the change and learning the new concept.
 */
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { REPO_ROOT } from '../lib/config/repo-root.js';
import { initialCursor, POLLER_CURSOR_KEY } from '../systems/online/records/poller-cursor.js';
import { onlineSystem } from '../systems/online/system.js';
import { launchChromium } from '../test/web/chromium.js';
import { startConsoleHarness } from '../test/web/console-harness.js';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
/** Where the poller starts: 300 records before the abrupt drift, 600 records in all. */
const FIRST_TICK = 2_700;
const RUNS = [
  { seconds: 30, intervalSeconds: 0.1 },
  { seconds: 30, intervalSeconds: 0.1 },
];

const browser = await launchChromium();
const harness = await startConsoleHarness({ systems: [onlineSystem] });
try {
  const { runtime } = harness;
  await runtime.s3.send(
    new PutObjectCommand({
      Bucket: runtime.names.dataBucket,
      Key: POLLER_CURSOR_KEY,
      Body: JSON.stringify({ ...initialCursor(new Date()), next: FIRST_TICK }),
      ContentType: 'application/json',
    }),
  );
  console.log(`Console ${harness.console.url}: polling the generator from tick ${FIRST_TICK} …`);
  for (const input of RUNS) {
    const run = await runtime.stateMachines.startExecution('online-poll', input);
    if (run.status !== 'SUCCEEDED') throw new Error(`online-poll ${run.status}: ${run.cause}`);
  }
  await runtime.streamConsumers.get('online-learner')?.waitUntilIdle(120_000);

  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const tab = await context.newPage();
  await tab.goto(`${harness.console.url}/systems/online?refresh=1s`);
  await tab.getByRole('heading', { name: 'Rolling metrics' }).first().waitFor();
  // A few polls: both panels' charts drawn with everything learned.
  await tab.waitForTimeout(3_000);
  const file = path.join(REPO_ROOT, 'docs', 'images', 'online-dashboard.png');
  await tab.screenshot({ path: file, fullPage: true });
  console.log(`  ${path.relative(REPO_ROOT, file)}`);
  await context.close();
} finally {
  await browser.close();
  await harness.stop();
}
