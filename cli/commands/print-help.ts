import type { CliContext, Command } from '../context.js';

/** `--help` goes to stdout with exit code 0, so it can be piped into a pager. */
export function printHelp(context: CliContext, command: Command): number {
  context.stdout(`${command.help}\n`);
  return 0;
}
