import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gaussian, seededRandom } from '../../core/data/seeded-random.js';
import { validateArtifact } from '../../core/forecasting/index.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The CLI as a user runs it: a separate Node process, exit code and both streams. */
async function cli(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'cli/smlp.ts', ...args], {
      cwd: REPO,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Eight years of monthly sales, `YYYY-MM`, a trend and a yearly wave, deterministic. */
function monthlyCsv(): string {
  const random = seededRandom(7);
  const rows = Array.from({ length: 96 }, (_, i) => {
    const month = `${2017 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
    const sales = 200 + 1.5 * i + 40 * Math.sin((2 * Math.PI * (i - 2)) / 12) + 3 * gaussian(random);
    return `${month},${sales.toFixed(1)}`;
  });
  return ['month,sales', ...rows].join('\n');
}

/** 300 days split at semicolons with decimal commas, as a spreadsheet in many locales saves them. */
function semicolonCsv(): string {
  const random = seededRandom(11);
  const rows = Array.from({ length: 300 }, (_, i) => {
    const day = new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const weekend = i % 7 >= 5 ? 15 : 0;
    const visits = 50 + weekend + 2 * gaussian(random);
    return `${day};${visits.toFixed(2).replace('.', ',')}`;
  });
  return ['day;visits', ...rows].join('\n');
}

/** Ten days of hourly load with three hours missing: one on day 3, two on day 6. */
function gappyHourlyCsv(): string {
  const random = seededRandom(3);
  const missing = [50, 120, 121];
  const rows = Array.from({ length: 240 }, (_, i) => i)
    .filter((i) => !missing.includes(i))
    .map((i) => {
      const time = new Date(Date.UTC(2024, 2, 1) + i * 3_600_000).toISOString();
      return `${time},${(100 + 20 * Math.sin((2 * Math.PI * i) / 24) + gaussian(random)).toFixed(2)}`;
    });
  return ['timestamp,load', ...rows].join('\n');
}

describe('your own data as it comes, as processes', () => {
  let dir = '';
  const file = (name: string) => path.join(dir, name);
  // Prepare (shared): the three files.
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'smlp-calendar-'));
    await writeFile(file('monthly.csv'), monthlyCsv());
    await writeFile(file('visits.csv'), semicolonCsv());
    await writeFile(file('load.csv'), gappyHourlyCsv());
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a YYYY-MM series fits with the monthly season and forecasts the next months in its style', async () => {
    // Act
    const fit = await cli([
      'fit',
      ...['--csv', file('monthly.csv'), '--value', 'sales', '--time', 'month'],
      ...['--order', '1,0,0,0,1,1,12', '--out', file('monthly.json')],
    ]);
    const result = await cli(['forecast', '--model', file('monthly.json'), '--horizon', '3']);
    // Assess
    expect(fit.code, fit.stderr).toBe(0);
    expect(fit.stdout).toMatch(/points\s+96 \(2017-01 → 2024-12, step 1 month\)/);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/3 steps of 1 month after 2024-12/);
    const times = result.stdout
      .split('\n')
      .slice(3)
      .filter((row) => row.trim() !== '')
      .map((row) => row.trim().split(/\s+/)[1]);
    expect(times).toEqual(['2025-01', '2025-02', '2025-03']);
  });

  it('a search on monthly data says it uses a season of 12', async () => {
    // Act
    const fit = await cli([
      'fit',
      ...['--csv', file('monthly.csv'), '--value', 'sales', '--time', 'month'],
      ...['--time-limit', '2', '--out', file('searched.json'), '--json'],
    ]);
    // Assess
    expect(fit.code, fit.stderr).toBe(0);
    expect(fit.stderr).toMatch(/Seasonal period 12 \(monthly data\); --season S overrides\./);
    expect(fit.stderr).toMatch(/Searching orders up to \(2,0,2\)\(1,1,1\)12/);
    expect(JSON.parse(fit.stdout)).toMatchObject({ step: '1 month', calendar: { unit: 'month' } });
  });

  it('a semicolon file is detected from its header, decimal commas included', async () => {
    // Act
    const fit = await cli([
      'fit',
      ...['--csv', file('visits.csv'), '--value', 'visits', '--time', 'day'],
      ...['--order', '1,0,0,0,1,1,7', '--out', file('visits.json')],
    ]);
    // Assess
    expect(fit.code, fit.stderr).toBe(0);
    expect(fit.stderr).toMatch(/split at semicolons/);
    expect(fit.stdout).toMatch(/points\s+300 \(2024-01-01 → 2024-10-26, step 1 d\)/);
  });

  it('a gap is refused with the first missing hour and a hint; --fill fills the 3 hours and says so', async () => {
    // Prepare
    const args = ['fit', '--csv', file('load.csv'), '--value', 'load', '--time', 'timestamp'];
    const model = ['--order', '1,0,0,0,1,1,24', '--out', file('load.json')];
    // Act
    const refused = await cli([...args, ...model]);
    const filled = await cli([...args, ...model, '--fill', '--json']);
    // Assess
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/2024-03-03T02:00:00.000Z is missing \(between lines 51 and 52\)/);
    expect(refused.stderr).toMatch(/3 steps are missing in 2 gaps\. Pass --fill/);
    expect(filled.code, filled.stderr).toBe(0);
    expect(filled.stderr).toMatch(
      /Filled 3 missing steps in 2 gaps by linear interpolation \(value and regressors\): 2024-03-03 02:00Z, 2024-03-06 00:00Z … 2024-03-06 01:00Z/,
    );
    expect(JSON.parse(filled.stdout)).toMatchObject({ points: 240, filled: 3 });
  });

  it('--transform log fits the logs and forecasts back on the original scale', async () => {
    // Act
    const fit = await cli([
      'fit',
      ...['--csv', file('monthly.csv'), '--value', 'sales', '--time', 'month', '--transform', 'log'],
      ...['--order', '1,0,0,0,1,1,12', '--out', file('log.json')],
    ]);
    const result = await cli(['forecast', '--model', file('log.json'), '--horizon', '2', '--json']);
    const artifact = validateArtifact(JSON.parse(await readFile(file('log.json'), 'utf8')));
    // Assess
    expect(fit.code, fit.stderr).toBe(0);
    expect(fit.stdout).toMatch(/transform\s+log\n/);
    expect(artifact.transform).toBe('log');
    const parsed = JSON.parse(result.stdout) as { times: string[]; forecast: { mean: number[] } };
    expect(parsed.times).toEqual(['2025-01', '2025-02']);
    // Sales are near 340 by the end; on the log scale they would be near 6.
    for (const mean of parsed.forecast.mean) expect(mean).toBeGreaterThan(250);
  });
});
