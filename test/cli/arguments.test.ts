import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/args.js';
import { chooseSeason, fitOptions, fitPlan } from '../../cli/fit-plan.js';
import { main } from '../../cli/main.js';
import { parseOrderFlag } from '../../cli/order-flag.js';
import { resolveRegistryTarget } from '../../cli/registry-target.js';
import { s3ClientConfig } from '../../cli/s3-registry.js';
import type { StepUnit } from '../../core/data/calendar.js';
import { InMemoryObjectStore } from '../../core/registry/memory-object-store.js';
import { sensorsSystem } from '../../systems/sensors/system.js';
import { waterSystem } from '../../systems/water/system.js';
import { captureContext } from './cli-fixtures.js';

describe('usage errors: exit code 2 and a message naming the flag', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown command', ['predict'], /unknown command "predict"; the commands are versions, champion/],
    ['an unknown flag', ['versions', '--bukcet', 'b'], /unknown flag --bukcet for "versions"/],
    ['a flag without its value', ['fit', '--csv'], /--csv needs a value/],
    ['a missing required flag', ['fit', '--csv', 'data.csv'], /--value is required: the column to forecast/],
    [
      'a bad order',
      ['fit', '--csv', 'a.csv', '--value', 'y', '--order', '1,0'],
      /--order expects p,d,q or p,d,q,P,D,Q,s/,
    ],
    [
      'an order beyond the bounds',
      ['fit', '--csv', 'a.csv', '--value', 'y', '--order', '9,0,1'],
      /--order 9,0,1: order.p must be a whole number in \[0, 5\], got 9/,
    ],
    [
      '--order with --search',
      ['fit', '--csv', 'a.csv', '--value', 'y', '--order', '1,0,1', '--search'],
      /--order and --search exclude each other/,
    ],
    [
      'a bad horizon',
      ['forecast', '--model', 'm.json', '--horizon', '0'],
      /--horizon must be a whole number from 1 to 10000, got "0"/,
    ],
    ['a switch given a value', ['forecast', '--json=yes'], /--json is a switch and takes no value/],
    ['an extra positional', ['versions', 'extra'], /"versions" takes no positional argument, got "extra"/],
    [
      'a bad pipeline',
      ['history', '--pipeline', 'no/such'],
      /--pipeline must name a system \(water, sensors, online, churn, sales\), got "no\/such"/,
    ],
    [
      'a pipeline that is no system',
      ['versions', '--pipeline', 'billing'],
      /--pipeline must name a system \(water, sensors, online, churn, sales\), got "billing"/,
    ],
    [
      'a bad model',
      ['history', '--model', 'no/such'],
      /--model must be letters, digits, "-" and "_", got "no\/such"/,
    ],
  ];
  it.each(cases)('%s', async (_, argv, message) => {
    // Prepare
    const cli = captureContext(new InMemoryObjectStore());
    // Act
    const code = await main(argv, cli.context);
    // Assess
    expect(code).toBe(2);
    expect(cli.stderr()).toMatch(message);
    expect(cli.stderr()).toMatch(/Run "smlp .*--help" for usage/);
    expect(cli.stdout()).toBe('');
  });

  it('--help prints the command help with examples on stdout, exit code 0', async () => {
    // Prepare
    const cli = captureContext();
    // Act
    const code = await main(['fit', '--help'], cli.context);
    // Assess
    expect(code).toBe(0);
    expect(cli.stdout()).toMatch(/^Usage: smlp fit --csv FILE --value COLUMN/);
    expect(cli.stdout()).toMatch(/Examples:\n {2}smlp fit --csv readings.csv/);
  });

  it('a file that cannot be read is a failure (exit code 1), not a usage error', async () => {
    // Prepare
    const cli = captureContext();
    // Act
    const code = await main(['forecast', '--model', '/nonexistent/model.json'], cli.context);
    // Assess
    expect(code).toBe(1);
    expect(cli.stderr()).toBe('smlp forecast: cannot read --model /nonexistent/model.json: no such file\n');
  });
});

describe('where the registry is', () => {
  it('the bucket comes from --bucket, then ARTIFACTS_BUCKET, then the local default with --local', () => {
    // Prepare
    const env = { ARTIFACTS_BUCKET: 'env-bucket', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569' };
    // Act
    const targets = [
      resolveRegistryTarget({ bucket: 'flag-bucket' }, env),
      resolveRegistryTarget({}, env),
      resolveRegistryTarget({ local: true }, { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569' }),
    ];
    // Assess
    expect(targets.map((t) => t.bucket)).toEqual(['flag-bucket', 'env-bucket', 'smlp-local-artifacts']);
    expect(targets[2]).toMatchObject({
      local: true,
      endpoint: 'http://127.0.0.1:4569',
      pipeline: 'water',
      model: 'forecast',
    });
  });

  it("the pipeline defaults to the first system in the list, the model to that system's first", () => {
    // Prepare
    const env = { ARTIFACTS_BUCKET: 'b' };
    // Act
    const targets = [
      resolveRegistryTarget({}, env),
      resolveRegistryTarget({ pipeline: 'sensors' }, env),
      resolveRegistryTarget({ pipeline: 'sensors', model: 'per-site' }, env),
      resolveRegistryTarget({}, env, [sensorsSystem, waterSystem]),
    ];
    // Assess
    expect(targets.map((t) => `${t.pipeline}/${t.model}`)).toEqual([
      'water/forecast',
      'sensors/clusters',
      'sensors/per-site',
      'sensors/clusters',
    ]);
    expect(() => resolveRegistryTarget({ pipeline: 'water' }, env, [sensorsSystem])).toThrow(
      new UsageError('--pipeline must name a system (sensors), got "water"'),
    );
  });

  it('without any bucket the error says where to find the name; --local needs an endpoint', () => {
    // Prepare
    const noBucket = () => resolveRegistryTarget({}, {});
    const noEndpoint = () => resolveRegistryTarget({ local: true }, {});
    // Act / Assess
    expect(noBucket).toThrow(
      /pass --bucket NAME or set ARTIFACTS_BUCKET \(on AWS it is the stack output ArtifactsBucketName/,
    );
    expect(noEndpoint).toThrow(/--local found no running `npm start`/);
  });

  it('local S3 is path-style with the emulator key pair; AWS keeps the default chain', () => {
    // Prepare
    const local = resolveRegistryTarget({ local: true, endpoint: 'http://127.0.0.1:9000' }, {});
    const aws = resolveRegistryTarget({ bucket: 'b' }, {});
    // Act
    const [localConfig, awsConfig] = [s3ClientConfig(local), s3ClientConfig(aws)];
    // Assess
    expect(localConfig).toMatchObject({
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      region: 'us-east-1',
    });
    expect(awsConfig).toEqual({});
  });
});

describe('fit flags', () => {
  it('a short order has no seasonal part; the default is the pipeline search with the data period', () => {
    // Prepare
    const plan = fitPlan({ csv: 'a.csv', value: 'y', 'time-limit': '30' });
    const season = (unit: StepUnit, count = 1) => chooseSeason(plan, { unit, count, style: 'ISO' }, 1000);
    // Act
    const [order, hourly, daily, other] = [
      parseOrderFlag('2,1,1'),
      fitOptions(plan, season('hour')).order,
      fitOptions(plan, season('day')).order,
      fitOptions(plan, season('minute', 15)).order,
    ];
    // Assess
    expect(order).toEqual({ p: 2, d: 1, q: 1, P: 0, D: 0, Q: 0, s: 0 });
    expect(hourly).toEqual({
      maxP: 2,
      maxQ: 2,
      maxSeasonalP: 1,
      maxSeasonalQ: 1,
      d: 0,
      D: 1,
      s: 24,
      budgetMs: 30_000,
    });
    expect(daily).toMatchObject({ s: 7, D: 1 });
    expect(other).toMatchObject({ s: 0, D: 0 });
  });

  it('--transform, --log, --fill with --max-fill and --delimiter become the reading plan', () => {
    // Prepare
    const base = { csv: 'a.csv', value: 'y' };
    // Act
    const [log, legacy, share, steps, tab] = [
      fitPlan({ ...base, transform: 'log' }),
      fitPlan({ ...base, log: true }),
      fitPlan({ ...base, fill: true, 'max-fill': '20%' }),
      fitPlan({ ...base, fill: true, 'max-fill': '12', order: '1,0,0,0,1,1,12' }),
      fitPlan({ ...base, delimiter: 'tab', fill: true }),
    ];
    const conflicting = () => fitPlan({ ...base, log: true, transform: 'none' });
    const limitAlone = () => fitPlan({ ...base, 'max-fill': '5' });
    // Assess
    expect([log.transform, legacy.transform]).toEqual(['log', 'log1p']);
    expect(share.reading.fill).toEqual({ max: { share: 0.2 } });
    expect(steps.reading.fill).toEqual({ max: { steps: 12 }, season: 12 });
    expect(tab.reading).toEqual({ transform: 'none', delimiter: '\t', fill: { max: { share: 0.1 } } });
    expect(conflicting).toThrow('--log means --transform log1p; it cannot go with --transform none');
    expect(limitAlone).toThrow('--max-fill limits --fill; add --fill to interpolate missing steps');
  });

  it('the season follows the step, and is dropped with a note when the series is too short for it', () => {
    // Prepare
    const plan = fitPlan({ csv: 'a.csv', value: 'y' });
    const monthly = { unit: 'month', count: 1, style: 'YYYY-MM' } as const;
    // Act
    const [long, short, yearly] = [
      chooseSeason(plan, monthly, 60),
      chooseSeason(plan, monthly, 30),
      chooseSeason(plan, { unit: 'year', count: 1, style: 'YYYY' }, 60),
    ];
    // Assess
    expect(long).toEqual({ season: 12, note: 'Seasonal period 12 (monthly data); --season S overrides.' });
    expect(short.season).toBe(0);
    expect(short.note).toMatch(/monthly data usually has 12, but 30 points are fewer than the 36 it needs/);
    expect(yearly).toEqual({ season: 0, note: 'No seasonal period for yearly data; --season S sets one.' });
  });
});
