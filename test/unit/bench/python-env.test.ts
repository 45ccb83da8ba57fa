import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BENCH_REQUIREMENTS,
  benchFingerprint,
  requirementLines,
  unpinnedRequirements,
} from '../../../bench/python-env.js';

// Only the pure parts: creating the venv takes half a minute and the network, so it stays out of tests.
const requirements = readFileSync(BENCH_REQUIREMENTS, 'utf8');

describe('bench/requirements.txt', () => {
  it('pins every line with ==', () => {
    expect(requirementLines(requirements).length).toBeGreaterThan(0);
    expect(unpinnedRequirements(requirements)).toEqual([]);
  });

  it('pins the reference implementations the suites import', () => {
    const names = requirementLines(requirements).map((line) => line.split('==')[0]?.toLowerCase());
    for (const name of ['statsmodels', 'scikit-learn', 'pandas', 'numpy', 'scipy']) {
      expect(names).toContain(name);
    }
    expect(requirementLines(requirements)).toContain('statsmodels==0.15.0');
  });
});

describe('unpinnedRequirements', () => {
  it('flags ranges, wildcards and bare names; ignores comments and blank lines', () => {
    const text = [
      '# a comment',
      '',
      'numpy==2.5.5',
      'scipy>=1.18',
      'pandas==3.*',
      'joblib',
      'tzdata==2026.6  # trailing comment',
      'wrapt==2.5.2 ; python_version >= "3.13"',
    ].join('\n');
    expect(unpinnedRequirements(text)).toEqual(['scipy>=1.18', 'pandas==3.*', 'joblib']);
  });
});

describe('benchFingerprint', () => {
  it('is stable for the same pins and interpreter', () => {
    expect(benchFingerprint(requirements, '3.13.0')).toBe(benchFingerprint(requirements, '3.13.0'));
  });

  it('changes when a pin changes', () => {
    const bumped = requirements.replace('statsmodels==0.15.0', 'statsmodels==0.15.1');
    expect(bumped).not.toBe(requirements);
    expect(benchFingerprint(bumped, '3.13.0')).not.toBe(benchFingerprint(requirements, '3.13.0'));
  });

  it('changes when the interpreter changes', () => {
    expect(benchFingerprint(requirements, '3.13.1')).not.toBe(benchFingerprint(requirements, '3.13.0'));
  });
});
