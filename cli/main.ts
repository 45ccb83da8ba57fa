import { RegistryError } from '../core/registry/errors.js';
import { OperationError } from '../ops/step-functions/operation-error.js';
import { UsageError } from './args.js';
import { backfillCommand } from './commands/backfill.js';
import { championCommand } from './commands/champion.js';
import { downloadCommand } from './commands/download.js';
import { executionCommand } from './commands/execution.js';
import { executionsCommand } from './commands/executions.js';
import { fitCommand } from './commands/fit.js';
import { forecastCommand } from './commands/forecast.js';
import { historyCommand } from './commands/history.js';
import { machinesCommand } from './commands/machines.js';
import { queryCommand } from './commands/query.js';
import { redriveCommand } from './commands/redrive.js';
import { rollbackCommand } from './commands/rollback.js';
import { startCommand } from './commands/start-execution.js';
import { versionsCommand } from './commands/versions.js';
import type { CliContext, Command } from './context.js';
import { InputDataError } from './csv-cells.js';
import { CommandFailure } from './failure.js';
import { FileError } from './files.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

const registryCommands: Command[] = [
  versionsCommand,
  championCommand,
  historyCommand,
  downloadCommand,
  rollbackCommand,
];
const stateMachineCommands: Command[] = [
  machinesCommand,
  startCommand,
  executionsCommand,
  executionCommand,
  redriveCommand,
  backfillCommand,
];
const tableCommands: Command[] = [queryCommand];
const ownDataCommands: Command[] = [fitCommand, forecastCommand];

export const commands: Command[] = [
  ...registryCommands,
  ...stateMachineCommands,
  ...tableCommands,
  ...ownDataCommands,
];

/** The project's command line; `smlp-models` is the same program under its earlier name. */
const NAME = 'smlp';

export function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const list = (group: Command[]) => group.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `Usage: ${NAME} <command> [flags]   (${NAME} <command> --help for its flags and examples)

The model registry (on AWS, or the running \`npm start\` with --local):
${list(registryCommands)}

State machines (on AWS, or the running \`npm start\` with --local):
${list(stateMachineCommands)}

The systems' tables (DuckDB here; on AWS, Athena too):
${list(tableCommands)}

Your own data, no AWS:
${list(ownDataCommands)}

Examples:
  ${NAME} versions --bucket smlp-dev-artifacts
  ${NAME} start water-retrain --local
  ${NAME} backfill water-retrain --from 2026-11-25 --to 2026-11-29 --local
  ${NAME} query --local "SELECT day, count(*) FROM churn_summaries GROUP BY day ORDER BY day"
  ${NAME} fit --csv data.csv --value consumption --time timestamp --order 1,0,1,1,1,1,24
  ${NAME} forecast --model model.json --horizon 24`;
}

/**
 * Runs one command line and returns the exit code: 0 done, 2 the command line is wrong (the
 * message says which flag and what it expects), 1 anything else failed. Never throws.
 */
export async function main(argv: string[], context: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const command = commands.find((c) => c.name === topic);
    if (topic !== undefined && !command) return usage(context, `unknown command "${topic}"`);
    context.stdout(`${command ? command.help : mainHelp()}\n`);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command)
    return usage(
      context,
      `unknown command "${name}"; the commands are ${commands.map((c) => c.name).join(', ')}`,
    );
  try {
    return await command.run(rest, context);
  } catch (error) {
    if (error instanceof UsageError) return usage(context, error.message, command.name);
    context.stderr(`${NAME} ${command.name}: ${describeFailure(error)}\n`);
    return EXIT_FAILURE;
  }
}

function usage(context: CliContext, message: string, command?: string): number {
  context.stderr(`${NAME}: ${message}\nRun "${NAME} ${command ? `${command} ` : ''}--help" for usage.\n`);
  return EXIT_USAGE;
}

/** Our own errors carry a complete message; others (SDK, system) get a hint about where they came from. */
function describeFailure(error: unknown): string {
  if (
    error instanceof InputDataError ||
    error instanceof FileError ||
    error instanceof RegistryError ||
    error instanceof CommandFailure ||
    error instanceof OperationError
  )
    return error.message;
  if (!(error instanceof Error)) return String(error);
  const name = error.name;
  if (name === 'CredentialsProviderError' || /credential/i.test(error.message))
    return `${error.message} (AWS credentials: set AWS_PROFILE or run \`aws configure\`; with --local the emulator's are used)`;
  if (/region is missing/i.test(error.message)) return `${error.message} (set AWS_REGION or AWS_PROFILE)`;
  if (name === 'NoSuchBucket') return `${error.message} (check --bucket / ARTIFACTS_BUCKET)`;
  if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED')
    return `${error.message} (is the emulator running? \`npm start\` prints its S3 and SFN endpoints)`;
  return error.message || name;
}
