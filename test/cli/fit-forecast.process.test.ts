import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '../../core/data/csv.js';
import { gaussian, seededRandom } from '../../core/data/seeded-random.js';
import { validateArtifact } from '../../core/forecasting/index.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const HOUR = 3_600_000;
const START = Date.parse('2024-01-01T00:00:00Z');

/** The CLI as a user runs it: a separate Node process, exit code and both streams. */
async function cli(args: string[], entry = ['--import', 'tsx', 'cli/smlp.ts']) {
  try {
    const { stdout, stderr } = await run(process.execPath, [...entry, ...args], { cwd: REPO });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** 600 hours with a daily cycle, a temperature effect and AR(1) noise; rows shuffled a little. */
function hourlyRows(count: number) {
  const random = seededRandom(42);
  let noise = 0;
  return Array.from({ length: count }, (_, i) => {
    const hour = i % 24;
    const temperature = 12 + 6 * Math.sin((2 * Math.PI * (hour - 9)) / 24) + gaussian(random);
    noise = 0.6 * noise + gaussian(random);
    return {
      timestamp: new Date(START + i * HOUR).toISOString(),
      consumption: (100 + 30 * Math.sin((2 * Math.PI * hour) / 24) + 0.8 * temperature + noise).toFixed(3),
      temperature: temperature.toFixed(2),
    };
  });
}

type Result = Awaited<ReturnType<typeof cli>>;

describe('fit then forecast, as processes, on a user CSV', () => {
  let dir = '';
  let model = '';
  let future = '';
  let fit: Result;
  // Prepare (shared): one fit of a fixed small order on rows out of time order (the CLI sorts them).
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'smlp-cli-'));
    const csv = path.join(dir, 'data.csv');
    [model, future] = [path.join(dir, 'model.json'), path.join(dir, 'future.csv')];
    const rows = hourlyRows(600);
    await writeFile(
      csv,
      toCsv(['timestamp', 'consumption', 'temperature'], [...rows.slice(300), ...rows.slice(0, 300)]),
    );
    const nextDay = Array.from({ length: 24 }, (_, h) => ({
      temperature: 12 + 6 * Math.sin((2 * Math.PI * (h - 9)) / 24),
    }));
    await writeFile(future, toCsv(['temperature'], nextDay));
    fit = await cli([
      'fit',
      '--csv',
      csv,
      '--value',
      'consumption',
      '--time',
      'timestamp',
      '--exog',
      'temperature',
      '--order',
      '1,0,1,0,1,1,24',
      '--out',
      model,
    ]);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fit sorts the rows, reports progress and the summary, and writes a valid model file', async () => {
    // Act
    const artifact = validateArtifact(JSON.parse(await readFile(model, 'utf8')));
    // Assess
    expect(fit.code, fit.stderr).toBe(0);
    expect(fit.stderr).toMatch(/sorted by "timestamp"/);
    expect(fit.stderr).toMatch(
      /Fitting \(1,0,1\)\(0,1,1\)24 on 600 points \(step 1 h, regressors temperature\)/,
    );
    expect(fit.stderr).toMatch(/✔ \(1,0,1\)\(0,1,1\)24\s+AIC -?\d+\.\d\d {2}\(\d+\.\d s\) {2}★/);
    expect(fit.stdout).toMatch(/order\s+\(1,0,1\)\(0,1,1\)24/);
    expect(fit.stdout).toMatch(/points\s+600 \(2024-01-01 00:00Z → 2024-01-25 23:00Z, step 1 h\)/);
    expect(artifact.exogNames).toEqual(['temperature']);
    expect(artifact.training).toMatchObject({ points: 600, end: '2024-01-25T23:00:00.000Z' });
  });

  it('forecast --json gives the horizon with ordered 80% and 95% intervals', async () => {
    // Act
    const result = await cli([
      'forecast',
      '--model',
      model,
      '--horizon',
      '24',
      '--exog-csv',
      future,
      '--json',
    ]);
    // Assess
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      horizon: number;
      forecast: Record<
        'timestamps' | 'mean' | 'lower80' | 'upper80' | 'lower95' | 'upper95',
        (number | string)[]
      >;
    };
    const f = parsed.forecast;
    expect(parsed.horizon).toBe(24);
    expect(f.timestamps[0]).toBe('2024-01-26T00:00:00.000Z');
    for (const series of Object.values(f)) expect(series).toHaveLength(24);
    for (let i = 0; i < 24; i++) {
      const [l95, l80, m, u80, u95] = [f.lower95, f.lower80, f.mean, f.upper80, f.upper95].map(
        (s) => s[i] as number,
      );
      expect(l95).toBeLessThanOrEqual(l80 as number);
      expect(l80).toBeLessThanOrEqual(m as number);
      expect(m).toBeLessThanOrEqual(u80 as number);
      expect(u80).toBeLessThanOrEqual(u95 as number);
    }
    // The daily cycle survives: the forecast peaks around 06:00 like the data (sine peak at hour 6).
    const mean = f.mean as number[];
    const peak = mean.indexOf(Math.max(...mean));
    expect(peak).toBeGreaterThanOrEqual(4);
    expect(peak).toBeLessThanOrEqual(8);
  });

  it('the bin shim starts the CLI through tsx; a model with regressors and no --exog-csv is exit code 2', async () => {
    // Act
    const result = await cli(['forecast', '--model', model, '--horizon', '6'], ['cli/bin.mjs']);
    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /fitted with regressors \(temperature\): forecasting needs their future values/,
    );
    expect(result.stderr).toMatch(/--exog-csv FILE with the columns temperature and at least 6 rows/);
  });
});
