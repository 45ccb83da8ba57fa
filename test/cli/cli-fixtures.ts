import type { CliContext } from '../../cli/context.js';
import type { RegistryTarget } from '../../cli/registry-target.js';
import { openSfn } from '../../cli/sfn/target.js';
import { ModelRegistry } from '../../core/registry/model-registry.js';
import type { ObjectStore } from '../../core/registry/object-store.js';
import type { RegisterInput } from '../../core/registry/types.js';
import type { LocalEndpointsRecord } from '../../local/endpoints-file.js';
import { countingHex, steppingClock } from '../unit/registry/registry-fixtures.js';

export interface Captured {
  context: CliContext;
  stdout: () => string;
  stderr: () => string;
  /** The targets the commands asked for, to check flag and environment handling. */
  targets: RegistryTarget[];
  closed: () => number;
}

/** A context that records output and serves one registry over the given store, whatever the target. */
export function captureContext(
  store?: ObjectStore,
  env: Record<string, string | undefined> = { ARTIFACTS_BUCKET: 'test-artifacts' },
  running: LocalEndpointsRecord | null = null,
): Captured {
  let out = '';
  let err = '';
  let closed = 0;
  const targets: RegistryTarget[] = [];
  const context: CliContext = {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    env,
    heartbeatSeconds: 0,
    openRegistry: (target) => {
      if (!store) throw new Error('this test has no registry');
      targets.push(target);
      return { registry: testRegistry(store, target.pipeline, target.model), close: () => void closed++ };
    },
    localEndpoints: () => running,
    // The real client: state-machine commands are tested against the local runtime's API.
    openStepFunctions: (target) => {
      const handle = openSfn(target);
      return {
        client: handle.client,
        close: () => {
          closed++;
          handle.close();
        },
      };
    },
    pollMs: 50,
  };
  return { context, stdout: () => out, stderr: () => err, targets, closed: () => closed };
}

/**
 * Deterministic times and ids: versions 20240301T120000Z-000001, …-000002, … Water's forecast
 * model unless told otherwise (the registry the commands open without --pipeline and --model).
 */
export function testRegistry(store: ObjectStore, pipeline = 'water', model = 'forecast'): ModelRegistry {
  return new ModelRegistry({ store, pipeline, model, now: steppingClock(), randomHex: countingHex() });
}

export function waterVersion(
  aic: number,
  holdoutMae: number,
  artifact: unknown = { format: 'test-model' },
): RegisterInput {
  return {
    artifact,
    parameters: { order: '(1,0,1)(1,1,1)24' },
    metrics: { aic, holdoutMae },
    trainedOn: [{ key: 'raw/water/dt=2024-03-01/hour=00/part.ndjson.gz', etag: '"abc"' }],
    codeVersion: 'test-sha',
  };
}
