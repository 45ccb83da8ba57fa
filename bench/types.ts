/** One measured line of a benchmark table. Baselines sit next to ours in the same run. */
export interface BenchRow {
  /** Which suite produced the row, e.g. `ingest` or `random-forest`. */
  suite: string;
  /** What was measured, e.g. `validate+serialize+gzip`. */
  case: string;
  /** Who did the work: `ours`, or the baseline's name (`scikit-learn`, `ml-random-forest`, ...). */
  impl: string;
  /** Numbers keyed by name with the unit in the name (`fitSeconds`, `recordsPerSecond`, `rocAuc`). */
  metrics: Record<string, number | string | null>;
  /** Anything a reader must know to trust the row (extrapolated, skipped and why, sizes). */
  note?: string;
}

export interface BenchContext {
  /** Print progress for long work; goes to stderr so `--json` stdout stays clean. */
  progress(message: string): void;
  /** Smaller sizes for a quick look (`--quick`); suites state the sizes they used in their notes. */
  quick: boolean;
}

export interface BenchSuite {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}
