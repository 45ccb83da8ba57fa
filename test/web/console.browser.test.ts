import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNdjsonUnder } from '../../local/inspect-data.js';
import { launchChromium } from './chromium.js';
import { type ConsoleHarness, seedWater, startConsoleHarness } from './console-harness.js';

/**
 * The local console in a real browser (Debian's chromium through playwright-core), in front of
 * a LocalRuntime whose water model was trained, retrained and promoted by its own state
 * machines. Everything is selected the way a person finds it: by role and label.
 */
let browser: Browser;
let context: BrowserContext;
let harness: ConsoleHarness;
let versions: { first: string; second: string };

beforeAll(async () => {
  // First: a missing browser fails here, at once, with what to install.
  browser = await launchChromium();
  harness = await startConsoleHarness();
  versions = await seedWater(harness.runtime);
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
}, 180_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await harness?.stop();
});

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${harness.console.url}${path}`);
  return page;
}

const versionsTable = (page: Page) => page.getByRole('table', { name: /^Versions/ });
const historyTable = (page: Page) => page.getByRole('table', { name: 'Promotion history' });

/** The champion's facts as the page lists them: `{ Version: …, Reason: …, … }`. */
async function championFacts(page: Page): Promise<Record<string, string>> {
  const region = page.getByRole('region', { name: 'Champion' });
  const [terms, definitions] = await Promise.all([
    region.getByRole('term').allTextContents(),
    region.getByRole('definition').allTextContents(),
  ]);
  return Object.fromEntries(terms.map((term, i) => [term, definitions[i] ?? '']));
}

/** The newest champion change (row 0 is the header), without its time: action, champion, replaced, reason. */
const newestChange = async (page: Page) =>
  (await historyTable(page).getByRole('row').nth(1).getByRole('cell').allTextContents()).slice(1);

/** The version cell of the row marked champion in the versions table. */
const championRowHeader = (page: Page) =>
  versionsTable(page)
    .getByRole('row', { name: /★ champion/ })
    .getByRole('rowheader')
    .textContent();

describe('the local console in a browser', () => {
  it('lists the water model versions on the Models page, the champion marked, with the history and reasons', async () => {
    // Prepare
    const page = await open('/');
    // Act
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Models' }).click();
    // Assess
    await expect.poll(() => versionsTable(page).getByRole('row').count()).toBe(3);
    expect(await championRowHeader(page)).toBe(`${versions.second}★ champion`);
    expect(await championFacts(page)).toMatchObject({
      Version: versions.second,
      Reason: 'promoted by hand: validated by the analysts',
      Replaced: versions.first,
    });
    expect(await newestChange(page)).toEqual([
      'promote',
      versions.second,
      versions.first,
      'promoted by hand: validated by the analysts',
    ]);
    expect(
      await page.getByRole('navigation', { name: 'Models' }).getByRole('link').allTextContents(),
    ).toEqual(expect.arrayContaining(['water/forecast', 'sensors/clusters']));
    await page.close();
  }, 30_000);

  it('rolls back from the page with a reason; a second tab sees the new champion and the history row without reloading', async () => {
    // Prepare: two tabs on the same model.
    const tab = await open('/models?system=water&model=forecast');
    const other = await open('/models?system=water&model=forecast');
    await expect.poll(async () => (await championFacts(other)).Version).toBe(versions.second);
    // Act
    await tab.getByRole('button', { name: 'Roll back…' }).click();
    const dialog = tab.getByRole('dialog', { name: 'Roll back water/forecast' });
    await dialog.getByLabel('Reason').fill('test: forecasts too low since the promotion');
    await dialog.getByRole('button', { name: 'Roll back', exact: true }).click();
    // Assess: the tab that rolled back says what happened and shows the old champion again…
    await expect
      .poll(() => tab.getByRole('status').textContent())
      .toBe(
        `Rolled back model "water/forecast": the champion is now ${versions.first} (was ${versions.second}).`,
      );
    await expect.poll(async () => (await championFacts(tab)).Version).toBe(versions.first);
    // …and the other tab, never reloaded, follows within its polling interval.
    await expect
      .poll(() => championFacts(other), { timeout: 10_000 })
      .toMatchObject({ Version: versions.first, Reason: 'test: forecasts too low since the promotion' });
    expect(await newestChange(other)).toEqual([
      'rollback',
      versions.first,
      versions.second,
      'test: forecasts too low since the promotion',
    ]);
    expect(await championRowHeader(other)).toBe(`${versions.first}★ champion`);
    await Promise.all([tab.close(), other.close()]);
  }, 30_000);

  it('downloads a version as its model artifact file', async () => {
    // Prepare
    const page = await open('/models?system=water&model=forecast');
    const link = page.getByRole('link', { name: `Download ${versions.second}` });
    // Act
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    // Assess
    expect(download.suggestedFilename()).toBe(`water-forecast-${versions.second}.json`);
    const artifact = JSON.parse(await readFile(await download.path(), 'utf8')) as { format?: string };
    expect(artifact.format).toBe('sarimax-model');
    await page.close();
  }, 30_000);

  it('shows each training run’s report picture on the Reports page', async () => {
    // Prepare
    const page = await open('/');
    // Act
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Reports' }).click();
    // Assess: one report per run (init-model, retrain), each picture loaded.
    const pictures = page.getByRole('img', { name: /^report\.svg of run water-/ });
    await expect.poll(() => pictures.count()).toBe(2);
    for (const picture of await pictures.all()) {
      await expect
        .poll(() => picture.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
        .toBeGreaterThan(100);
    }
    expect(
      await page
        .getByRole('article')
        .first()
        .getByRole('link', { name: /report\.json/ })
        .count(),
    ).toBe(1);
    await page.close();
  }, 30_000);

  it('counts the quarantined records by reason on the Quarantine page', async () => {
    // Prepare: what ingest wrote, read straight from the bucket.
    const rows = await readNdjsonUnder<{ reason: string }>(
      harness.runtime.s3,
      harness.runtime.names.dataBucket,
      'quarantine/water/',
    );
    // Act
    const page = await open('/quarantine');
    // Assess
    await expect
      .poll(() => page.getByRole('heading', { name: /^water:/ }).textContent())
      .toMatch(new RegExp(`^water: ${rows.length} records? quarantined in \\d+ objects$`));
    const table = page.getByRole('table', { name: 'water quarantine by reason' });
    const reasonRows = (await table.getByRole('row').all()).slice(1);
    const counts = await Promise.all(
      reasonRows.map(async (row) => Number(await row.getByRole('cell').nth(1).textContent())),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(rows.length);
    await page.close();
  }, 30_000);

  it('shows the records ingest received and each shard on the Stream page', async () => {
    // Prepare: every water record the stream delivered is in raw/, archive/ or quarantine/.
    const { s3, names } = harness.runtime;
    const landed = await Promise.all(
      ['raw/water/', 'archive/water/', 'quarantine/water/'].map(
        async (prefix) => (await readNdjsonUnder(s3, names.dataBucket, prefix)).length,
      ),
    );
    // Act
    const page = await open('/stream');
    // Assess
    const totals = page.getByRole('definition');
    await expect
      .poll(() => totals.first().textContent())
      .toBe(landed.reduce((a, b) => a + b, 0).toLocaleString('en-US'));
    await expect
      .poll(() => page.getByRole('table', { name: 'Iterator lag' }).getByRole('row').count())
      .toBe(3);
    expect(await page.getByRole('img', { name: /^Records delivered to ingest per 5 s/ }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'On-failure messages' }).textContent()).toContain(
      'no batch has been given up on',
    );
    await page.close();
  }, 30_000);
});
