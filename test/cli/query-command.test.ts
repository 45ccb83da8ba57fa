import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { s3ClientConfig } from '../../cli/s3-registry.js';
import { writeFeatureParquet } from '../../core/features/parquet.js';
import { encodeNdjsonGzip } from '../../core/streaming/ndjson.js';
import { resourceNames } from '../../lib/config/app-config.js';
import type { SystemDefinition, TableDefinition } from '../../lib/config/system-definition.js';
import type { ChildService } from '../../local/emulators/child-service.js';
import { startS3Emulator } from '../../local/emulators/s3-emulator.js';
import type { LocalEndpointsRecord } from '../../local/endpoints-file.js';
import { type LedgerEntry, ledgerBalancesTable, ledgerSystem } from '../fixtures/systems/ledger/system.js';
import { captureContext } from './cli-fixtures.js';

/**
 * `smlp query --local` as a user runs it against a running `npm start`: the S3 emulator alone
 * (the command needs nothing else), the fixture ledger system's objects written the way its
 * writers would, and the command run through `main` with the running-process record pointing at
 * the emulator.
 */
const STAGE = 'test';
const names = resourceNames({ prefix: 'smlp', stage: STAGE });
/** A table no one has written to yet. */
const emptyTable: TableDefinition = {
  ...ledgerBalancesTable,
  name: 'ledger_audits',
  description: 'Audits (none yet)',
  prefix: 'reports/ledger/audits/',
};
const systems: SystemDefinition[] = [
  { ...ledgerSystem, tables: [...(ledgerSystem.tables ?? []), emptyTable] },
];

let dir: string;
let emulator: ChildService;
let s3: S3Client;
let running: LocalEndpointsRecord;
let cacheDir: string;

function entry(entryId: string, account: string, amount: number, posted: boolean): LedgerEntry {
  return { entryId, account, amount, posted, timestamp: '2024-03-01T05:10:00Z' };
}

const rawKey = (hour: string, sequence: string) =>
  `raw/ledger/dt=2024-03-01/hour=${hour}/shardId-000000000000-${sequence}.ndjson.gz`;

function balances(rows: { account: string; entries: number; balance: number }[]): Uint8Array {
  // The writer's row type is the feature table's; rows of any column list's values are written alike.
  return writeFeatureParquet(
    rows as never,
    ledgerBalancesTable.columns.map((c) => ({
      name: c.name,
      type: c.type as 'string',
      nullable: false,
      description: '',
    })),
  );
}

async function put(bucket: string, key: string, body: Uint8Array): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

async function smlp(...args: string[]) {
  const cli = captureContext(undefined, {}, running);
  cli.context.systems = systems;
  const code = await main(args, cli.context);
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

const query = (...args: string[]) => smlp('query', '--local', '--cache-dir', cacheDir, ...args);

beforeAll(async () => {
  // Prepare: the emulator, the buckets a `npm start` of stage "test" has, and the ledger's objects
  dir = mkdtempSync(path.join(tmpdir(), 'smlp-query-'));
  cacheDir = path.join(dir, 'cache');
  emulator = await startS3Emulator({ directory: path.join(dir, 's3') });
  running = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    s3: emulator.endpoint,
    kinesis: 'http://127.0.0.1:9',
    sfn: 'http://127.0.0.1:9',
    prefix: 'smlp',
    stage: STAGE,
  };
  s3 = new S3Client(s3ClientConfig({ endpoint: emulator.endpoint, local: true }));
  for (const bucket of [names.dataBucket, names.artifactsBucket])
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await put(
    names.dataBucket,
    rawKey('05', '100'),
    encodeNdjsonGzip([entry('e1', 'a-1', 10, true), entry('e2', 'a-2', -2.5, false)]),
  );
  await put(names.dataBucket, rawKey('06', '200'), encodeNdjsonGzip([entry('e3', 'a-1', 4, true)]));
  await put(
    names.artifactsBucket,
    'reports/ledger/balances/day=2024-03-01/part-0.parquet',
    balances([
      { account: 'a-1', entries: 1, balance: 10 },
      { account: 'a-2', entries: 1, balance: -2.5 },
    ]),
  );
  await put(
    names.artifactsBucket,
    'reports/ledger/balances/day=2024-03-02/part-0.parquet',
    balances([{ account: 'a-1-with-a-name-far-too-long-for-one-column-of-text', entries: 2, balance: 14 }]),
  );
}, 60_000);

afterAll(async () => {
  s3?.destroy();
  await emulator?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('smlp query --local (DuckDB over the copied objects)', () => {
  it('prints an aligned table: numbers to the right, wide cells cut, the row count', async () => {
    // Act
    const { code, stdout, stderr } = await query(
      'SELECT day, account, entries, balance FROM ledger_balances ORDER BY day, account',
    );

    // Assess
    expect(stderr).toMatch(
      new RegExp(
        `^ledger_balances: 2 objects in s3://${names.artifactsBucket}/reports/ledger/balances/ \\(2 downloaded`,
        'm',
      ),
    );
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'day         account                                   entries  balance',
        '2024-03-01  a-1                                             1       10',
        '2024-03-01  a-2                                             1     -2.5',
        '2024-03-02  a-1-with-a-name-far-too-long-for-one-co…        2       14',
        '(3 rows)',
        '',
      ].join('\n'),
    );
  });

  it('reads the raw JSON lines with the partition keys as strings, as Athena does (--json)', async () => {
    // Act
    const { code, stdout } = await query(
      '--json',
      'SELECT dt, hour, count(*) AS entries, sum(amount) AS total, bool_and(posted) AS all_posted FROM ledger_entries GROUP BY ALL ORDER BY ALL',
    );

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      { dt: '2024-03-01', hour: '05', entries: 2, total: 7.5, all_posted: false },
      { dt: '2024-03-01', hour: '06', entries: 1, total: 4, all_posted: true },
    ]);
  });

  it('writes CSV with a header line, quoting what needs quoting', async () => {
    // Act
    const { code, stdout } = await query(
      '--csv',
      `SELECT "entryId", account || ',x' AS account FROM ledger_entries WHERE hour = '05' ORDER BY 1`,
    );

    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe('entryId,account\ne1,"a-1,x"\ne2,"a-2,x"\n');
  });

  it('downloads nothing on a second run, then only what changed, and drops what is gone', async () => {
    // Prepare: a first run has copied the raw objects
    await query('SELECT count(*) FROM ledger_entries');
    const copied = path.join(cacheDir, names.dataBucket, ...rawKey('05', '100').split('/'));
    const before = statSync(copied).mtimeMs;

    // Act
    const again = await query('SELECT count(*) FROM ledger_entries');

    // Assess
    expect(again.stderr).toMatch(/^ledger_entries: 2 objects in .* \(0 downloaded, 0 B; 2 unchanged\)$/m);
    expect(statSync(copied).mtimeMs).toBe(before);

    // Prepare: one object rewritten (a retried batch), one moved away (archived)
    await put(names.dataBucket, rawKey('05', '100'), encodeNdjsonGzip([entry('e1', 'a-1', 11, true)]));
    await s3.send(new DeleteObjectCommand({ Bucket: names.dataBucket, Key: rawKey('06', '200') }));

    // Act
    const changed = await query('--json', 'SELECT sum(amount) AS total, count(*) AS n FROM ledger_entries');

    // Assess
    expect(changed.stderr).toMatch(
      /^ledger_entries: 1 objects in .* \(1 downloaded, .*; 0 unchanged, 1 removed\)$/m,
    );
    expect(JSON.parse(changed.stdout)).toEqual([{ total: 11, n: 1 }]);
  });

  it('shows a table with no data yet as empty, with its declared columns', async () => {
    // Act
    const { code, stdout } = await query('--json', 'SELECT count(*) AS n FROM ledger_audits');
    const described = await query('--json', 'SELECT column_name, column_type FROM (DESCRIBE ledger_audits)');

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([{ n: 0 }]);
    expect(JSON.parse(described.stdout)).toEqual([
      { column_name: 'account', column_type: 'VARCHAR' },
      { column_name: 'entries', column_type: 'INTEGER' },
      { column_name: 'balance', column_type: 'DOUBLE' },
      { column_name: 'day', column_type: 'VARCHAR' },
    ]);
  });

  it("says DuckDB's message on a SQL error, and lists the tables when one is unknown", async () => {
    // Act
    const syntax = await query('SELEC 1');
    const unknown = await query('SELECT * FROM ledger_nope');

    // Assess
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(/^smlp query: SQL error: Parser Error: syntax error at or near "SELEC"/m);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'unknown table "ledger_nope": the tables are ledger_audits, ledger_balances, ledger_entries (smlp query --tables)',
    );
  });

  it('says so when no `npm start` is running', async () => {
    // Prepare
    const cli = captureContext(undefined, {}, null);
    cli.context.systems = systems;

    // Act
    const code = await main(['query', '--local', 'SELECT 1'], cli.context);

    // Assess
    expect(code).toBe(2);
    expect(cli.stderr()).toContain('--local found no running `npm start`');
  });

  it('--tables lists each table with its location, partitions and columns', async () => {
    // Act
    const { code, stdout } = await smlp('query', '--tables');
    const json = await smlp('query', '--tables', '--json');

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('ledger_entries  (ledger) Ledger entries as they arrived (raw, JSON lines)');
    expect(stdout).toContain('  data bucket, raw/ledger/  ndjson-gzip, partitioned by dt, hour');
    expect(stdout).toMatch(/^ {2}entryId +string$/m);
    expect((JSON.parse(json.stdout) as { name: string }[]).map((t) => t.name)).toEqual([
      'ledger_entries',
      'ledger_balances',
      'ledger_audits',
    ]);
  });
});
