/**
 * `npm run console:screenshots`: the README's pictures of the local console, one per page, into
 * docs/images/console-*.png. Same harness as the browser tests (test/web): a LocalRuntime on a
 * fresh data directory, its systems trained by their own state machines, the console in front.
 */
import path from 'node:path';
import { REPO_ROOT } from '../lib/config/repo-root.js';
import type { StateMachineView } from '../local/console/api-types.js';
import { launchChromium } from '../test/web/chromium.js';
import { seedSensors, seedWater, startConsoleHarness } from '../test/web/console-harness.js';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
const pages = [
  { name: 'overview', path: '/', ready: 'Stream health' },
  { name: 'models', path: '/models?system=water&model=forecast', ready: 'Promotion history' },
  { name: 'reports', path: '/reports?system=water', ready: 'Reports' },
  { name: 'quarantine', path: '/quarantine', ready: 'Quarantine' },
  { name: 'stream', path: '/stream', ready: 'Iterator lag' },
  { name: 'state-machines', path: '/state-machine?name=water-retrain', ready: 'Executions' },
];

const browser = await launchChromium();
const harness = await startConsoleHarness();
try {
  console.log(`Console ${harness.console.url}: training water and sensors through their state machines …`);
  const { first } = await seedWater(harness.runtime);
  await seedSensors(harness.runtime);
  // One rollback, so the history shows both kinds of change with their reasons.
  await fetch(`${harness.console.url}/api/systems/water/models/forecast/rollback`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ reason: 'forecasts too low since the promotion', to: first }),
  });
  // The newest water-retrain run (the one the rule kept out): its page shows a real timeline.
  const retrain = (await (
    await fetch(`${harness.console.url}/api/state-machines/water-retrain`)
  ).json()) as StateMachineView;
  const [newest] = retrain.executions;
  if (newest)
    pages.push({
      name: 'execution',
      path: `/execution?machine=water-retrain&name=${encodeURIComponent(newest.name)}`,
      ready: 'Timeline',
    });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  for (const page of pages) {
    const tab = await context.newPage();
    await tab.goto(`${harness.console.url}${page.path}`);
    await tab.getByRole('heading', { name: page.ready }).first().waitFor();
    // A few polls: charts filled, the stream page's lag history drawn, report pictures loaded.
    await tab.waitForTimeout(5_000);
    const file = path.join(REPO_ROOT, 'docs', 'images', `console-${page.name}.png`);
    await tab.screenshot({ path: file, fullPage: true });
    console.log(`  ${path.relative(REPO_ROOT, file)}`);
    await tab.close();
  }
  await context.close();
} finally {
  await browser.close();
  await harness.stop();
}
