import { RegistryError } from '../core/registry/errors.js';
import { UsageError } from './args.js';
import { championCommand } from './commands/champion.js';
import { downloadCommand } from './commands/download.js';
import { fitCommand } from './commands/fit.js';
import { forecastCommand } from './commands/forecast.js';
import { historyCommand } from './commands/history.js';
import { rollbackCommand } from './commands/rollback.js';
import { versionsCommand } from './commands/versions.js';
import type { CliContext, Command } from './context.js';
import { InputDataError } from './csv-cells.js';
import { FileError } from './files.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export const commands: Command[] = [
  versionsCommand,
  championCommand,
  historyCommand,
  downloadCommand,
  rollbackCommand,
  fitCommand,
  forecastCommand,
];

const NAME = 'smlp-models';

export function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `Usage: ${NAME} <command> [flags]   (${NAME} <command> --help for its flags and examples)

The model registry (on AWS, or the local emulator with --local):
${commands
  .slice(0, 5)
  .map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
  .join('\n')}

Your own data, no AWS:
${commands
  .slice(5)
  .map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
  .join('\n')}

Examples:
  ${NAME} versions --bucket smlp-dev-artifacts
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
  if (error instanceof InputDataError || error instanceof FileError || error instanceof RegistryError)
    return error.message;
  if (!(error instanceof Error)) return String(error);
  const name = error.name;
  if (name === 'CredentialsProviderError' || /credential/i.test(error.message))
    return `${error.message} (AWS credentials: set AWS_PROFILE or run \`aws configure\`; with --local the emulator's are used)`;
  if (/region is missing/i.test(error.message)) return `${error.message} (set AWS_REGION or AWS_PROFILE)`;
  if (name === 'NoSuchBucket') return `${error.message} (check --bucket / ARTIFACTS_BUCKET)`;
  if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED')
    return `${error.message} (is the emulator running? \`npm start\` prints its S3 endpoint)`;
  return error.message || name;
}
