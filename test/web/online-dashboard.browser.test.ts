import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onlineSystem } from '../../systems/online/system.js';
import type { MetricsView } from '../../systems/online/web/online-api.js';
import { launchChromium } from './chromium.js';
import { type ConsoleHarness, startConsoleHarness } from './console-harness.js';

/**
 * The online system's live dashboard in a real browser, in front of a LocalRuntime running the
 * system: its poller puts records on the stream, its learner (a stream consumer) learns them, and
 * two tabs watch through the console's pass-through to the system's API, each at its own pace.
 * Every check waits, generously, for what the page ends up showing; none depends on speed.
 */
let browser: Browser;
let context: BrowserContext;
let harness: ConsoleHarness;

beforeAll(async () => {
  // First: a missing browser fails here, at once, with what to install.
  browser = await launchChromium();
  harness = await startConsoleHarness({ systems: [onlineSystem] });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
}, 120_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await harness?.stop();
});

/** Long enough for a slow, busy machine; the checks pass as soon as the page shows it. */
const eventually = { timeout: 90_000, interval: 250 };

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${harness.console.url}${path}`);
  return page;
}

type Model = 'classification' | 'regression';

/** A panel's big figures as the page holds them: label → the exact value (`''` before it is known). */
async function figures(page: Page, model: Model): Promise<Record<string, string>> {
  const list = page.getByRole('region', { name: new RegExp(`^${model}`, 'i') }).locator('dl');
  const [terms, values] = await Promise.all([
    list.getByRole('term').allTextContents(),
    list.getByRole('definition').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-value') ?? '')),
  ]);
  return Object.fromEntries(terms.map((term, i) => [term, values[i] ?? '']));
}

const learned = async (page: Page, model: Model = 'classification') =>
  Number((await figures(page, model)).Learned || 0);

async function apiMetrics(): Promise<MetricsView> {
  const response = await fetch(`${harness.console.url}/api/online/metrics`);
  return (await response.json()) as MetricsView;
}

/** What the figures should read for the API's numbers (`''` where the API has none yet). */
function expectedFigures(view: MetricsView, model: Model): Record<string, string> {
  const m = view.models[model];
  const value = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  const metric = (key: string) => value(m.metrics?.[key]);
  const metrics: Record<string, string> =
    model === 'classification'
      ? {
          Accuracy: metric('accuracy'),
          F1: metric('f1'),
          'ROC-AUC': metric('rocAuc'),
          'Log-loss': metric('logLoss'),
        }
      : { MAE: metric('mae'), RMSE: metric('rmse'), 'R²': metric('r2') };
  return {
    ...metrics,
    Learned: value(m.learned),
    'Drift resets': value(m.driftResets),
    'Latest tick': value(m.tick),
  };
}

describe('the online dashboard in a browser', () => {
  it('before anything is learned, says how to start the poller, and is listed in the navigation', async () => {
    // Prepare / Act
    const page = await open('/');
    await page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('link', { name: 'Online learning' })
      .click();

    // Assess
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'No records learned yet' }).count(), eventually)
      .toBe(1);
    expect(await page.getByRole('status').textContent()).toContain('online-poll');
    expect(new URL(page.url()).pathname).toBe('/systems/online');
    const latest = await fetch(`${harness.console.url}/api/online/classification/latest`);
    expect(latest.status).toBe(404);
    await page.close();
  }, 60_000);

  it('two tabs see the numbers grow, each at its own pace: a paused tab stays still while the other moves', async () => {
    // Prepare: the poller feeds two records a second for 40 s while the tabs watch.
    const polling = harness.runtime.stateMachines.startExecution('online-poll', {
      seconds: 40,
      intervalSeconds: 0.5,
    });
    const fast = await open('/systems/online?refresh=1s');
    const steady = await open('/systems/online');
    await expect.poll(() => learned(fast), eventually).toBeGreaterThan(0);
    await expect.poll(() => learned(steady), eventually).toBeGreaterThan(0);
    const fastFirst = await learned(fast);
    const steadyFirst = await learned(steady);

    // Assess: both keep up without a reload
    await expect.poll(() => learned(fast), eventually).toBeGreaterThan(fastFirst);
    await expect.poll(() => learned(steady), eventually).toBeGreaterThan(steadyFirst);
    await expect.poll(() => learned(fast, 'regression'), eventually).toBeGreaterThan(0);

    // Act: the second viewer pauses their tab
    await steady.getByLabel('Refresh').selectOption('paused');
    // A poll already under way may still land: the paused figure is the one it settles on.
    const frozen = await figures(steady, 'classification');
    await expect.poll(() => learned(fast), eventually).toBeGreaterThan(Number(frozen.Learned) + 4);

    // Assess: the paused tab did not move while the other did; each tab's choice is its own
    const settled = await figures(steady, 'classification');
    await expect.poll(() => learned(fast), eventually).toBeGreaterThan(Number(settled.Learned) + 4);
    expect(await figures(steady, 'classification')).toEqual(settled);
    expect(new URL(steady.url()).searchParams.get('refresh')).toBe('paused');
    expect(new URL(fast.url()).searchParams.get('refresh')).toBe('1s');
    expect(await fast.getByLabel('Refresh').inputValue()).toBe('1s');

    // Act: the poller's run ends and the learner has learned everything it sent
    const run = await polling;
    expect(run.status).toBe('SUCCEEDED');
    await harness.runtime.streamConsumers.get('online-learner')?.waitUntilIdle(90_000);
    const api = await apiMetrics();

    // Assess: the live tab's figures are exactly the API's, for both models
    expect(api.models.classification.learned).toBeGreaterThan(0);
    await expect
      .poll(() => figures(fast, 'classification'), eventually)
      .toEqual(expectedFigures(api, 'classification'));
    await expect
      .poll(() => figures(fast, 'regression'), eventually)
      .toEqual(expectedFigures(api, 'regression'));
    // The paused tab still shows what it had; resumed, it catches up to the same numbers.
    expect(await figures(steady, 'classification')).toEqual(settled);
    await steady.getByLabel('Refresh').selectOption('1s');
    await expect
      .poll(() => figures(steady, 'classification'), eventually)
      .toEqual(expectedFigures(api, 'classification'));

    // Assess: the charts have text summaries covering what was learned
    const summary = fast
      .getByRole('region', { name: /^classification/i })
      .getByRole('figure', { name: 'Probability against the true class' })
      .locator('figcaption');
    expect(await summary.textContent()).toMatch(
      /^\d+ records, ticks \d+ to \d+: \d+ of \d+ classified right\./,
    );
    await fast.close();
    await steady.close();
  }, 240_000);

  it('shows the reason in an alert when the API fails', async () => {
    // Prepare: a tab whose API answers 500 (the route stubbed in this tab only)
    const page = await context.newPage();
    await page.route('**/api/online/metrics', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: '{"error":"the results bucket is gone"}',
      }),
    );

    // Act
    await page.goto(`${harness.console.url}/systems/online?refresh=1s`);

    // Assess
    const alert = page.getByRole('alert').filter({ hasText: 'The online API did not answer' });
    await expect.poll(() => alert.textContent(), eventually).toContain('the results bucket is gone');
    await page.close();
  }, 60_000);
});
