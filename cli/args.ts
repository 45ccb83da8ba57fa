import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { CsvDelimiter } from '../core/data/csv.js';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The user typed something the command cannot take: exit code 2 and a pointer to `--help`. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `help` is part of every command, so `--help` / `-h` is never an unknown flag. */
export const HELP_FLAG = { help: { type: 'boolean', short: 'h', default: false } } as const;

interface NodeParseError {
  code?: string;
  message: string;
}

/**
 * node:util parseArgs in strict mode, with its errors rewritten to name the command and what was
 * expected (its own messages mention neither, and suggest `--` tricks that do not apply here).
 */
export function parseCommandArgs<T extends ParseArgsOptionsConfig>(
  command: string,
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw translateParseError(command, error as NodeParseError);
  }
}

function translateParseError(command: string, error: NodeParseError): UsageError {
  const flag = /'(?:-\w, )?(--[\w-]+)/.exec(error.message)?.[1] ?? /'(-\w)'/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown flag ${flag ?? error.message} for "${command}"`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new UsageError(
        /does not take an argument/.test(error.message)
          ? `${flag} is a switch and takes no value`
          : `${flag} needs a value (e.g. ${flag} VALUE); a value starting with "-" is written ${flag}=VALUE`,
      );
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`"${command}" takes no argument here: ${error.message}`);
    default:
      return new UsageError(error.message);
  }
}

/** At most `max` positional arguments; more is a usage error that quotes the extra one. */
export function positionals(command: string, values: string[], max: number, what: string): string[] {
  if (values.length > max)
    throw new UsageError(
      max === 0
        ? `"${command}" takes no positional argument, got "${values[0]}"`
        : `"${command}" takes at most ${max} ${what}, got an extra "${values[max]}"`,
    );
  return values;
}

export function requireFlag(value: string | undefined, flag: string, expected: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required: ${expected}`);
  return value;
}

/** A whole-number flag within bounds, or the fallback when absent. */
export function intFlag(
  value: string | undefined,
  flag: string,
  bounds: { min: number; max: number; fallback: number },
): number {
  if (value === undefined) return bounds.fallback;
  const number = Number(value.trim());
  if (value.trim() === '' || !Number.isInteger(number) || number < bounds.min || number > bounds.max)
    throw new UsageError(
      `${flag} must be a whole number from ${bounds.min} to ${bounds.max}, got "${value}"`,
    );
  return number;
}

/** `a,b, c` → ['a', 'b', 'c']; empty items are a usage error (a doubled comma is a typo). */
export function listFlag(value: string | undefined, flag: string): string[] {
  if (value === undefined) return [];
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => item === ''))
    throw new UsageError(`${flag} takes comma-separated names without empty items, got "${value}"`);
  const duplicate = items.find((item, i) => items.indexOf(item) !== i);
  if (duplicate) throw new UsageError(`${flag} names "${duplicate}" twice`);
  return items;
}

/** `--delimiter ','`, `';'`, a tab character, or the words `tab`, `comma`, `semicolon`. */
export function delimiterFlag(value: string | undefined): CsvDelimiter | undefined {
  if (value === undefined) return undefined;
  const byName: Record<string, CsvDelimiter> = {
    ',': ',',
    comma: ',',
    ';': ';',
    semicolon: ';',
    '\t': '\t',
    '\\t': '\t',
    tab: '\t',
  };
  const delimiter = byName[value.toLowerCase()];
  if (!delimiter)
    throw new UsageError(`--delimiter must be ',', ';' or tab (also: comma, semicolon), got "${value}"`);
  return delimiter;
}
