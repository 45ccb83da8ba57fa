import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHandler } from '../../local/state-machine-runner.js';
import { launchChromium } from './chromium.js';
import { type ConsoleHarness, startConsoleHarness } from './console-harness.js';

/**
 * The state-machine pages in a real browser, in front of a LocalRuntime's Step Functions API:
 * starting an execution with a JSON input, watching it end, its timeline, a redrive, a backfill
 * and a second tab that follows without a reload. An archive execution whose input says
 * `failForTest` fails in its plan step (the console names executions itself, so the input, not
 * the name, picks the one to break). Nothing asserts a state that only timing decides: every
 * check waits, generously, for what the page ends up showing.
 */
let browser: Browser;
let context: BrowserContext;
let harness: ConsoleHarness;

function breakArchivePlansOnRequest(key: string, handler: LocalHandler): LocalHandler {
  if (key !== 'archive') return handler;
  return async (event) => {
    const { action, input } = event as { action: string; input?: { failForTest?: boolean } };
    if (action === 'plan' && input?.failForTest === true) throw new Error('the bucket is not there yet');
    return handler(event);
  };
}

beforeAll(async () => {
  // First: a missing browser fails here, at once, with what to install.
  browser = await launchChromium();
  harness = await startConsoleHarness({ wrapHandler: breakArchivePlansOnRequest });
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

/** Starts the machine from its page's dialog with that input; resolves with the execution's name. */
async function startFromDialog(page: Page, machine: string, input: string): Promise<string> {
  await page.getByRole('button', { name: 'Start execution…' }).click();
  const dialog = page.getByRole('dialog', { name: `Start ${machine}` });
  await dialog.getByLabel('Input (JSON)').fill(input);
  await dialog.getByRole('button', { name: 'Start', exact: true }).click();
  const started = page.getByRole('status').filter({ hasText: /^Started / });
  await expect.poll(() => started.count(), eventually).toBe(1);
  return ((await started.textContent()) ?? '').replace(/^Started /, '');
}

/** The status cell of an execution's row in the machine page's Executions table. */
const executionStatus = (page: Page, name: string) =>
  page
    .getByRole('table', { name: 'Executions' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name, exact: true }) })
    .getByRole('cell')
    .first()
    .textContent();

/** The execution page's facts: `{ Status: …, Redrives: …, … }`. */
async function facts(page: Page): Promise<Record<string, string>> {
  const list = page.getByRole('main').locator('dl.facts');
  const [terms, definitions] = await Promise.all([
    list.getByRole('term').allTextContents(),
    list.getByRole('definition').allTextContents(),
  ]);
  return Object.fromEntries(terms.map((term, i) => [term, definitions[i] ?? '']));
}

/** The timeline's rows as `state | type | outcome` (the durations depend on speed). */
async function timeline(page: Page): Promise<string[]> {
  const rows = (await page.getByRole('table', { name: 'Timeline' }).getByRole('row').all()).slice(1);
  return Promise.all(
    rows.map(async (row) => {
      const state = await row.getByRole('rowheader').textContent();
      const cells = await row.getByRole('cell').allTextContents();
      return `${state} | ${cells[0]} | ${cells[3]}`;
    }),
  );
}

describe('the state-machine pages in a browser', () => {
  it('lists every machine with its schedule and links to its page', async () => {
    // Prepare
    const page = await open('/');
    // Act
    await page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('link', { name: 'State machines' })
      .click();
    // Assess
    const table = page.getByRole('table', { name: 'State machines' });
    await expect.poll(() => table.getByRole('row').count(), eventually).toBeGreaterThan(5);
    const waterStream = table
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: 'water-stream' }) });
    expect(await waterStream.getByRole('cell').first().textContent()).toMatch(/^rate\(1 hour\)/);
    await table.getByRole('link', { name: 'archive', exact: true }).click();
    await expect
      .poll(
        () =>
          page.getByRole('list', { name: 'States of archive' }).getByRole('listitem').first().textContent(),
        eventually,
      )
      .toMatch(/^Plan/);
    await page.close();
  }, 60_000);

  it('starts archive with a JSON input checked before sending; it ends SUCCEEDED without a reload, a second tab sees it, its timeline opens', async () => {
    // Prepare: two tabs on archive's page.
    const tab = await open('/state-machine?name=archive');
    const other = await open('/state-machine?name=archive');
    await expect.poll(() => other.getByRole('heading', { name: 'Executions' }).count(), eventually).toBe(1);
    await tab.getByRole('button', { name: 'Start execution…' }).click();
    const dialog = tab.getByRole('dialog', { name: 'Start archive' });
    // Act: a typo first, then the input.
    await dialog.getByLabel('Input (JSON)').fill('{"pipeline": "water"');
    const refusal = await dialog.getByRole('alert').textContent();
    const disabled = await dialog.getByRole('button', { name: 'Start', exact: true }).isDisabled();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const name = await startFromDialog(tab, 'archive', '{"pipeline": "water"}');
    // Assess: refused before sending; the started run ends SUCCEEDED on both tabs, never reloaded.
    expect(refusal).toMatch(/^Not JSON: /);
    expect(disabled).toBe(true);
    expect(name).toMatch(/^archive-[0-9a-f]{8}$/);
    await expect.poll(() => executionStatus(tab, name), eventually).toBe('SUCCEEDED');
    await expect.poll(() => executionStatus(other, name), eventually).toBe('SUCCEEDED');
    await tab.getByRole('status').getByRole('link', { name }).click();
    await expect.poll(async () => (await facts(tab)).Status, eventually).toBe('SUCCEEDED');
    expect(await timeline(tab)).toEqual([
      'Plan | Task | ok',
      'AnythingToArchive | Choice | ok',
      'NothingToArchive | Succeed | ok',
    ]);
    expect(await tab.getByRole('region', { name: 'Input' }).textContent()).toContain('"pipeline": "water"');
    expect(await tab.getByRole('region', { name: 'Output' }).textContent()).toContain('"objectCount": 0');
    await Promise.all([tab.close(), other.close()]);
  }, 90_000);

  it('redrives a failed execution from its page: the Fail state a Catch led to fails again, redriven once', async () => {
    // Prepare: a run whose plan step fails (its input asks for it).
    const page = await open('/state-machine?name=archive');
    const name = await startFromDialog(page, 'archive', '{"pipeline": "water", "failForTest": true}');
    await page.getByRole('status').getByRole('link', { name }).click();
    await expect.poll(async () => (await facts(page)).Status, eventually).toBe('FAILED');
    // Act
    await page.getByRole('button', { name: 'Redrive' }).click();
    // Assess
    await expect
      .poll(() => page.getByRole('status').textContent(), eventually)
      .toBe(`Redriven ${name}: it runs again from the state that failed.`);
    await expect.poll(async () => (await facts(page)).Redrives, eventually).toMatch(/^1 \(last /);
    await expect.poll(async () => (await facts(page)).Status, eventually).toBe('FAILED');
    await expect
      .poll(() => timeline(page), eventually)
      .toEqual(['Plan | Task | ok', 'ArchiveFailed | Fail | failed', '↻1 ArchiveFailed | Fail | failed']);
    const planErrors = page
      .getByRole('table', { name: 'Timeline' })
      .getByRole('row')
      .nth(1)
      .getByRole('cell')
      .last();
    expect(await planErrors.textContent()).toContain('the bucket is not there yet');
    expect(await page.getByRole('region', { name: 'Redrive' }).textContent()).toContain(
      'that Fail state is the unsuccessful step: the redrive fails again, as on AWS',
    );
    await page.close();
  }, 90_000);

  it('backfills water-stream over two hours with live progress in two tabs; a second backfill finds both times already run', async () => {
    // Prepare
    const tab = await open('/state-machine?name=water-stream');
    const other = await open('/state-machine?name=water-stream');
    const form = tab.getByRole('form', { name: 'Backfill water-stream' });
    await form.getByLabel('From (UTC)').fill('2026-11-20T00:00Z');
    await form.getByLabel('To (UTC)').fill('2026-11-20T01:00Z');
    await form.getByLabel(/^Input \(JSON/).fill('{"batchSize": 20, "numBatches": 1}');
    const title = 'Backfill 2026-11-20 00:00Z – 2026-11-20 01:00Z';
    const outcomes = (page: Page, nth: number) =>
      page
        .getByRole('article', { name: title })
        .nth(nth)
        .getByRole('row')
        .evaluateAll((rows) => rows.slice(1).map((row) => row.querySelectorAll('td')[3]?.textContent ?? ''));
    // Act
    await form.getByRole('button', { name: 'Run backfill' }).click();
    // Assess: both scheduled times ran, as this tab and the other one show.
    for (const page of [tab, other])
      await expect
        .poll(() => page.getByRole('article', { name: title }).getByRole('status').textContent(), eventually)
        .toMatch(/^2 of 2 scheduled times done · finished /);
    expect(await outcomes(other, 0)).toEqual(['ran: SUCCEEDED', 'ran: SUCCEEDED']);
    expect(await executionStatus(tab, 'water-stream-at-20261120T0100Z')).toBe('SUCCEEDED');
    // Act: the same backfill again.
    await form.getByRole('button', { name: 'Run backfill' }).click();
    // Assess: the newest backfill (listed first) ran nothing again.
    await expect.poll(() => tab.getByRole('article', { name: title }).count(), eventually).toBe(2);
    await expect
      .poll(
        () => tab.getByRole('article', { name: title }).first().getByRole('status').textContent(),
        eventually,
      )
      .toMatch(/^2 of 2 scheduled times done · finished /);
    expect(await outcomes(tab, 0)).toEqual(['already ran: SUCCEEDED', 'already ran: SUCCEEDED']);
    await Promise.all([tab.close(), other.close()]);
  }, 120_000);
});
