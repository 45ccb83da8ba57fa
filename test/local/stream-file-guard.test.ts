import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keepGoodStreamFile, repairStreamFile } from '../../local/emulators/stream-file-guard.cjs';

/** kinesis-mock rewrites its stream file in place: a kill mid-write must not stop the next start. */
const dirs: string[] = [];
const dir = () => {
  const made = mkdtempSync(path.join(tmpdir(), 'smlp-streamfile-'));
  dirs.push(made);
  return made;
};
afterEach(() => {
  for (const made of dirs.splice(0)) rmSync(made, { recursive: true, force: true });
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the stream file guard', () => {
  it('keeps a copy of each complete stream file, and puts it back when a kill left the file empty', async () => {
    // Prepare: the emulator wrote a complete file, the guard copied it, then a kill cut the next write
    const persist = dir();
    const stop = keepGoodStreamFile(persist, 20);
    writeFileSync(path.join(persist, 'streams.json'), '{"streams":{"records":[1,2,3]}}');
    await sleep(200);
    stop();
    writeFileSync(path.join(persist, 'streams.json'), '');

    // Act
    const outcome = repairStreamFile(persist);

    // Assess
    expect(outcome).toBe('restored');
    expect(JSON.parse(readFileSync(path.join(persist, 'streams.json'), 'utf8'))).toEqual({
      streams: { records: [1, 2, 3] },
    });
  });

  it('never takes a cut-short file as the good copy', async () => {
    // Prepare
    const persist = dir();
    const stop = keepGoodStreamFile(persist, 20);
    writeFileSync(path.join(persist, 'streams.json'), '{"streams":{"records":[1,2,3]}}');
    await sleep(200);
    writeFileSync(path.join(persist, 'streams.json'), '{"streams":{"records":[1,2,3,4');
    await sleep(200);
    stop();

    // Act
    const outcome = repairStreamFile(persist);

    // Assess: the last complete version is back
    expect(outcome).toBe('restored');
    expect(readFileSync(path.join(persist, 'streams.json'), 'utf8')).toBe('{"streams":{"records":[1,2,3]}}');
  });

  it('leaves an intact file alone, and moves a damaged one aside when there is no good copy', () => {
    // Prepare
    const intact = dir();
    writeFileSync(path.join(intact, 'streams.json'), '{"streams":{}}');
    const damaged = dir();
    writeFileSync(path.join(damaged, 'streams.json'), '{"str');

    // Act / Assess
    expect(repairStreamFile(intact)).toBe('intact');
    expect(repairStreamFile(damaged)).toBe('lost');
    expect(existsSync(path.join(damaged, 'streams.json'))).toBe(false);
    expect(readdirSync(damaged)).toEqual([expect.stringMatching(/^streams\.damaged-\d+\.json$/)]);
    expect(repairStreamFile(dir())).toBe('none');
  });
});
