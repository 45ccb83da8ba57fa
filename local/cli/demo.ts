import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../../lib/config/repo-root.js';
import { systems } from '../../systems/index.js';
import type { DemoScenario } from '../demo-context.js';
import { listKeys } from '../inspect-data.js';
import type { EventSourceActivity } from '../kinesis-event-source.js';
import { localDemoContext } from '../local-demo-context.js';
import { LocalRuntime } from '../local-runtime.js';

/**
 * `npm run demo [-- --json] [--data-dir DIR] [--days N] [--only a,b]`: one full cycle of every system (or the named ones) from an
 * empty state — each system's own scenario (generate, stream, ingest, train, champion vs
 * challenger, archive, …) — then a summary, and exit. The summary holds each system's result
 * under its name, and what the platform saw: executions, reports, on-failure messages.
 */
const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    days: { type: 'string', default: '60' },
    verbose: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
// Handler logs (structured JSON) only on request: the demo prints its own progress.
if (!values.verbose) process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

const days = Number(values.days);
if (!Number.isInteger(days) || days < 1 || days > 3660) {
  console.error(`--days must be a whole number from 1 to 3660, got "${values.days}"`);
  process.exit(2);
}
const dataDir = path.resolve(
  values['data-dir'] ??
    path.join(REPO_ROOT, '.local', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`),
);
const only = values.only?.split(',').map((name) => name.trim());
const unknownSystems = (only ?? []).filter((name) => !systems.some((system) => system.name === name));
if (unknownSystems.length > 0) {
  console.error(
    `--only names no system: ${unknownSystems.join(', ')}; the systems are ${systems.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}
mkdirSync(dataDir, { recursive: true });

// Progress goes to stderr so `--json` leaves exactly one line on stdout.
const say = (line: string) => process.stderr.write(`${line}\n`);
let ingested = 0;
const activity = (a: EventSourceActivity) => {
  if (a.type === 'batch') ingested += a.records - a.failedRecords;
  if (a.type === 'error') say(`  ! ingest error on ${a.shardId}: ${a.message}`);
  if (a.type === 'on-failure')
    say(
      `  ! ${a.message.KinesisBatchInfo.batchSize} records sent to the on-failure destination (${a.message.requestContext.condition})`,
    );
};

say(`▶ Starting the local system (data in ${dataDir})`);
const runtime = await LocalRuntime.start({ dataDir, activity, systems });
say(`  Processes ${runtime.emulators.map((e) => `${e.name} pid ${e.pid}`).join(', ')}`);

/** Ctrl-C: the running execution finishes, no new one starts, the emulators stop, exit 130. */
class Interrupted extends Error {}
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) {
    say('Second interrupt: exiting now (the emulators stop with this process).');
    process.exit(130);
  }
  interrupted = true;
  say('\n▶ Ctrl-C: finishing the running execution, then stopping the emulators …');
});

let exitCode = 0;
try {
  const { context, executions } = localDemoContext(runtime, {
    say,
    days,
    dataDir,
    ingested: () => ingested,
    beforeRun: (machine) => {
      if (interrupted) throw new Interrupted(`interrupted before ${machine}`);
    },
  });

  const results: Record<string, Record<string, unknown>> = {};
  for (const system of systems) {
    if (!system.demo || (only && !only.includes(system.name))) continue;
    say(`▶ ${system.title}`);
    const module = (await import(pathToFileURL(path.join(REPO_ROOT, system.demo)).href)) as {
      demo?: DemoScenario;
    };
    if (typeof module.demo !== 'function') throw new Error(`${system.demo} does not export a demo scenario`);
    results[system.name] = await module.demo(context);
  }

  // Every system that streams accounts for each record it produced (raw/ or quarantine/).
  const mismatched = Object.entries(results)
    .filter(([, result]) => result.accountedFor !== undefined && result.accountedFor !== 'all')
    .map(([name]) => name);
  const summary = {
    dataDir,
    ...results,
    accountedFor: mismatched.length === 0 ? 'all' : `MISMATCH in ${mismatched.join(', ')}`,
    onFailureMessages: runtime.onFailure.length,
    reports: (await listKeys(runtime.s3, runtime.names.artifactsBucket, 'reports/')).filter((k) =>
      k.endsWith('.svg'),
    ),
    executions: executions.map((e) => ({
      stateMachine: e.stateMachine,
      name: e.executionName,
      status: e.status,
    })),
  };
  if (mismatched.length > 0) exitCode = 1;
  say(
    `✔ Done: ${executions.length} executions, ${ingested} records ingested; every record accounted for: ${summary.accountedFor}`,
  );
  if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
} catch (error) {
  say(`✘ ${(error as Error).message}`);
  exitCode = 1;
} finally {
  await runtime.stop();
}
if (interrupted) {
  say(`✔ Stopped by Ctrl-C; data kept in ${dataDir}`);
  exitCode = 130;
}
process.exit(exitCode);
