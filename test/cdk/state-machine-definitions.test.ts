import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { functions, SCHEDULED_TIME, stateMachines } from '../../lib/config/pipeline-definition.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

// asl-validator ships CommonJS without type declarations: load it through require and type the
// part of its API used here (README: `const { isValid, errors, errorsText } = aslValidator(definition)`).
type AslValidator = (definition: unknown) => {
  isValid: boolean;
  errors: { message?: string }[];
  errorsText: (separator?: string) => string;
};
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

const DUMMY_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:dummy';
const placeholdersIn = (text: string) =>
  [...new Set([...text.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]))].sort();

describe('state machine definitions', () => {
  it('have unique ids and names', () => {
    // Prepare
    const ids = stateMachines.map((d) => d.id);
    const names = stateMachines.map((d) => d.name);

    // Assess
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(stateMachines.filter((d) => d.schedule).map((d) => [d.name, d] as const))(
    '%s schedule input carries the scheduled-time placeholder for Scheduler to fill in',
    (_name, definition) => {
      // Assess
      expect(JSON.stringify(definition.schedule?.input)).toContain(SCHEDULED_TIME);
    },
  );

  describe.each(stateMachines.map((d) => [d.name, d] as const))('%s', (_name, definition) => {
    const path = join(repoRoot, definition.aslFile);

    it('points at an existing ASL file', () => {
      // Assess
      expect(existsSync(path), `${definition.aslFile} exists`).toBe(true);
    });

    it('declares exactly the placeholders its ASL uses, each mapped to a defined function', () => {
      // Prepare
      const text = readFileSync(path, 'utf8');

      // Assess
      expect(placeholdersIn(text)).toEqual(Object.keys(definition.functionPlaceholders).sort());
      for (const functionKey of Object.values(definition.functionPlaceholders)) {
        expect(Object.keys(functions)).toContain(functionKey);
      }
    });

    it('is valid ASL once the placeholders are replaced with ARNs', () => {
      // Prepare
      const text = readFileSync(path, 'utf8').replaceAll(/\$\{[^}]+\}/g, DUMMY_ARN);

      // Act
      const result = aslValidator(JSON.parse(text));

      // Assess
      expect(result.errorsText('\n')).toBe('');
      expect(result.isValid).toBe(true);
    });

    it('sets an execution timeout (both runtimes read it from the file)', () => {
      // Prepare
      const asl = JSON.parse(readFileSync(path, 'utf8')) as { TimeoutSeconds?: number };

      // Assess
      expect(asl.TimeoutSeconds).toBeGreaterThan(0);
    });
  });
});
