import { readFile, writeFile } from 'node:fs/promises';

/** A file that could not be read or written: the message names the flag and the path. */
export class FileError extends Error {
  override readonly name = 'FileError';
}

const reasonOf = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return (error as Error).message;
};

export async function readTextFile(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new FileError(`cannot read ${flag} ${path}: ${reasonOf(error)}`);
  }
}

export async function writeTextFile(path: string, body: string, flag: string): Promise<void> {
  try {
    await writeFile(path, body);
  } catch (error) {
    throw new FileError(`cannot write ${flag} ${path}: ${reasonOf(error)}`);
  }
}

/** JSON from a file, with the parse error tied to the file. */
export async function readJsonFile(path: string, flag: string): Promise<unknown> {
  const text = await readTextFile(path, flag);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new FileError(`${flag} ${path} is not JSON: ${(error as Error).message}`);
  }
}
