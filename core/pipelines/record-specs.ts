import type { RecordSpec } from './record-spec.js';

/**
 * The record specs the streaming code works with, injected by whoever lists the systems (the
 * handlers, from the one list of systems; a test, from its fixtures). The streaming core never
 * names a system itself.
 */
export class RecordSpecs {
  private readonly byName: ReadonlyMap<string, RecordSpec<unknown>>;

  constructor(specs: readonly RecordSpec<unknown>[]) {
    const byName = new Map<string, RecordSpec<unknown>>();
    for (const spec of specs) {
      if (byName.has(spec.pipeline)) throw new Error(`two record specs are named "${spec.pipeline}"`);
      byName.set(spec.pipeline, spec);
    }
    this.byName = byName;
  }

  find(pipeline: string): RecordSpec<unknown> | undefined {
    return this.byName.get(pipeline);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Like `find`, but a clear error for a name nobody registered. */
  require(pipeline: string): RecordSpec<unknown> {
    const spec = this.byName.get(pipeline);
    if (!spec) throw new Error(`Unknown pipeline "${pipeline}"; known pipelines: ${this.names().join(', ')}`);
    return spec;
  }
}
