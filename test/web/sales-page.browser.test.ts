import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesSystem } from '../../systems/sales/system.js';
import { launchChromium } from './chromium.js';
import { type ConsoleHarness, startConsoleHarness } from './console-harness.js';
import { type SalesSeed, seedSales } from './sales-seed.js';

/**
 * The sales system's page in a real browser, in front of a LocalRuntime running the system and
 * its API through the console's pass-through. Three stores' history is written as collect writes
 * it; stores 1 (forest) and 2 (SARIMAX) are trained and promoted through their registries;
 * store 3's training failed, so it has history and no champion. Every check waits for what the
 * page ends up showing; none depends on speed.
 */
let browser: Browser;
let context: BrowserContext;
let harness: ConsoleHarness;
let seed: SalesSeed;

const HORIZON = 42;

beforeAll(async () => {
  // First: a missing browser fails here, at once, with what to install.
  browser = await launchChromium();
  harness = await startConsoleHarness({ systems: [salesSystem] });
  seed = await seedSales(harness.runtime, {
    stores: 3,
    days: 400,
    champions: { 1: 'forest', 2: 'sarimax' },
    failed: [3],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
}, 120_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await harness?.stop();
});

/** Long enough for a slow, busy machine; the checks pass as soon as the page shows it. */
const eventually = { timeout: 30_000, interval: 200 };

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${harness.console.url}${path}`);
  return page;
}

const champion = (store: number) => {
  const found = seed.champions.get(store);
  if (!found) throw new Error(`store ${store} was seeded without a champion`);
  return found;
};

/** The model's figures as the page holds them: label → exact value. */
async function modelFigures(page: Page): Promise<Record<string, string>> {
  const list = page.getByRole('region', { name: /^Store \d+/ }).getByLabel('Model', { exact: true });
  const [terms, values] = await Promise.all([
    list.locator('dt').allTextContents(),
    list
      .locator('dd[data-value]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-value') ?? '')),
  ]);
  return Object.fromEntries(terms.map((term, i) => [term, values[i] ?? '']));
}

const chart = (page: Page) => page.getByRole('img', { name: /^Store \d+: daily sales/ });
const storeShown = (page: Page) => new URL(page.url()).searchParams.get('store');

describe('the sales page in a browser', () => {
  it('lists the stores; choosing one shows its forecast with both intervals and the model behind it', async () => {
    // Prepare: from the navigation
    const page = await open('/');
    await page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('link', { name: 'Sales forecasts' })
      .click();
    const input = page.getByLabel('Store', { exact: true });
    await expect.poll(() => page.locator('#sales-store-list option').count(), eventually).toBe(3);

    // Act: type store 2 and go
    await input.fill('2');
    await input.press('Enter');

    // Assess: the address keeps the choice; the chart has the history, the forecast and both bands
    await expect.poll(() => storeShown(page), eventually).toBe('2');
    await expect.poll(() => chart(page).getAttribute('data-horizon'), eventually).toBe(String(HORIZON));
    const svg = chart(page);
    expect(await svg.locator('.forecast-point').count()).toBe(HORIZON);
    for (const selector of ['path.history-line', 'path.forecast-line', 'path.band-80', 'path.band-95'])
      expect(await svg.locator(selector).getAttribute('d'), selector).toMatch(/^M[\d.]+,[\d.]+/);
    // The 80% band lies inside the 95% band.
    const band80 = await svg.locator('path.band-80').boundingBox();
    const band95 = await svg.locator('path.band-95').boundingBox();
    expect(band80 && band95).toBeTruthy();
    if (band80 && band95) {
      expect(band80.y).toBeGreaterThanOrEqual(band95.y - 0.5);
      expect(band80.y + band80.height).toBeLessThanOrEqual(band95.y + band95.height + 0.5);
    }
    // Closed days (Sundays) are forecast as closed: markers at zero, gaps in the line.
    expect(await svg.locator('.forecast-point.closed').count()).toBeGreaterThanOrEqual(5);
    expect((await svg.locator('path.forecast-line').getAttribute('d'))?.split('M').length).toBeGreaterThan(5);
    // Dated axes and a description for screen readers.
    // The seeded history ends on 4 Feb 2014: months from its last 120 days to six weeks on.
    expect(await svg.locator('.sales-axis-label.x').allTextContents()).toEqual([
      'Nov 2013',
      'Dec',
      'Jan 2014',
      'Feb',
      'Mar',
    ]);
    expect(await svg.locator('desc').textContent()).toMatch(/Forecast by SARIMAX .*: 42 days from/);

    // Assess: the model is store 2's champion, with its backtest error
    const expected = champion(2);
    await expect
      .poll(() => modelFigures(page), eventually)
      .toMatchObject({
        Model: 'sarimax',
        Version: expected.version,
        'Backtest RMSPE': String(expected.rmspe),
        'Observed RMSPE': '',
      });
    await page.close();
  }, 60_000);

  it('ranks the stores by error, worst first; clicking one shows it, and back returns to the one before', async () => {
    // Prepare
    const page = await open('/systems/sales?store=2');
    await expect.poll(() => modelFigures(page).then((f) => f.Model), eventually).toBe('sarimax');
    const table = page.getByRole('table', { name: 'Stores with the worst error' });

    // Assess: every store with an error, sorted by it, worst first
    const errors = await table
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-error'))));
    const seeded = [...seed.champions.values()].map((c) => c.rmspe).sort((a, b) => b - a);
    expect(errors).toEqual(seeded);

    // Act: choose the other store from the table
    const other = champion(1);
    await table.getByRole('link', { name: 'Store 1' }).click();

    // Assess
    await expect.poll(() => storeShown(page), eventually).toBe('1');
    await expect
      .poll(() => modelFigures(page), eventually)
      .toMatchObject({ Model: 'forest', Version: other.version });
    expect(await table.getByRole('link', { name: 'Store 1' }).getAttribute('aria-current')).toBe('true');

    // Act / Assess: back to store 2
    await page.goBack();
    await expect.poll(() => modelFigures(page).then((f) => f.Version), eventually).toBe(champion(2).version);
    await page.close();
  }, 60_000);

  it('a store without a champion shows its history and says to run sales-train; health names the failed store', async () => {
    // Prepare / Act
    const page = await open('/systems/sales?store=3');

    // Assess
    const status = page.getByRole('status').filter({ hasText: 'No champion yet for store 3' });
    await expect.poll(() => status.count(), eventually).toBe(1);
    expect(await status.textContent()).toContain('sales-train');
    expect(await chart(page).getAttribute('data-horizon')).toBe('0');
    expect(await chart(page).locator('path.history-line').getAttribute('d')).toMatch(/^M/);
    const health = page.getByRole('region', { name: 'Service health' });
    expect(await health.textContent()).toContain('2 of 3 stores have a champion');
    expect(await health.textContent()).toContain('failed stores: 3');
    await page.close();
  }, 60_000);

  it('says why when a store number is not in the data', async () => {
    // Prepare
    const page = await open('/systems/sales?store=1');
    const input = page.getByLabel('Store', { exact: true });
    await expect.poll(() => page.locator('#sales-store-list option').count(), eventually).toBe(3);

    // Act
    await input.fill('999');
    await input.press('Enter');

    // Assess
    const alert = page.getByRole('alert').filter({ hasText: 'No store 999' });
    await expect.poll(() => alert.textContent(), eventually).toContain('the stores are 1–3');
    expect(storeShown(page)).toBe('1');
    await page.close();
  }, 60_000);

  it('keeps 1,115 stores usable: typing a number goes to it, and a store without data says so', async () => {
    // Prepare: in this tab, the store list of a full-size run (only stores 1–3 have data here)
    const rows = Array.from({ length: 1115 }, (_, i) => ({
      store: i + 1,
      storeType: 'a',
      assortment: 'a',
      family: i < 2 ? 'forest' : null,
      backtestRmspe: i < 2 ? 0.1 : null,
      observedRmspe: null,
      degraded: false,
      status: i < 2 ? 'promoted' : null,
    }));
    const page = await context.newPage();
    await page.route('**/api/sales/stores?**', (route) =>
      route.fulfill({ json: { stores: rows, worst: rows.slice(0, 2), monitoring: null } }),
    );
    await page.goto(`${harness.console.url}/systems/sales`);
    await expect.poll(() => page.locator('#sales-store-list option').count(), eventually).toBe(1115);

    // Act
    const input = page.getByLabel('Store', { exact: true });
    await input.fill('store 1115');
    await input.press('Enter');

    // Assess
    await expect.poll(() => storeShown(page), eventually).toBe('1115');
    const status = page.getByRole('status').filter({ hasText: 'No data yet for store 1115' });
    await expect.poll(() => status.count(), eventually).toBe(1);

    // Act / Assess: the next store after the last is the first
    await page.getByRole('button', { name: 'Next store' }).click();
    await expect.poll(() => storeShown(page), eventually).toBe('1');
    await page.close();
  }, 60_000);

  it('before any data, says what brings it', async () => {
    // Prepare: in this tab, the answers of a system nothing has reached yet
    const page = await context.newPage();
    await page.route('**/api/sales/stores?**', (route) =>
      route.fulfill({ json: { stores: [], worst: [], monitoring: null } }),
    );

    // Act
    await page.goto(`${harness.console.url}/systems/sales`);

    // Assess
    const status = page.getByRole('status').filter({ hasText: 'No sales data yet' });
    await expect.poll(() => status.count(), eventually).toBe(1);
    expect(await status.textContent()).toContain('sales-stream');
    expect(await page.getByLabel('Store', { exact: true }).count()).toBe(0);
    await page.close();
  }, 60_000);

  it('shows the API’s reason as text when it fails', async () => {
    // Prepare: in this tab only, the forecast answers 500, then the store list does too
    const page = await context.newPage();
    await page.route('**/api/sales/forecast?**', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: '{"error":"the models bucket is gone"}',
      }),
    );

    // Act
    await page.goto(`${harness.console.url}/systems/sales?store=1`);

    // Assess
    const storeAlert = page.getByRole('alert').filter({ hasText: 'did not answer for store 1' });
    await expect.poll(() => storeAlert.textContent(), eventually).toContain('the models bucket is gone');

    // Act: the list fails too
    await page.route('**/api/sales/stores?**', (route) =>
      route.fulfill({
        status: 502,
        contentType: 'application/json',
        body: '{"error":"the history bucket is gone"}',
      }),
    );
    await page.reload();

    // Assess
    const listAlert = page.getByRole('alert').filter({ hasText: 'The sales API did not answer:' });
    await expect.poll(() => listAlert.textContent(), eventually).toContain('the history bucket is gone');
    await page.close();
  }, 60_000);
});
