import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type PrintedSummary, parseSummary } from './library-output.js';
import type { SarimaxOrder } from './types.js';

/**
 * The `arima` package's own fit and predict (ctsa in WebAssembly, one worker thread per fit). Since
 * issue 15 production fits are ours (estimate.ts); the library is the reference the tests check
 * the artifact's forecasts against and a column of the SARIMAX grid bench.
 */

/** What one fit by the library gave, with full-precision values when the struct could be read. */
export interface LibraryFitResult {
  /** Return code 1 and finite numbers: a usable model. */
  ok: boolean;
  /** Why not ok: the return code, a crash, a timeout. */
  reason?: string;
  /** The verbose summary the library printed. */
  printed: string;
  summary: PrintedSummary | null;
  /** Coefficients read from the model's memory (the doubles predict() uses), null if unavailable. */
  heap: HeapModel | null;
  /** The library's own predict() on this fit, when asked for. */
  library: { mean: number[]; variance: number[] } | null;
  seconds: number;
}

/** The fitted model read from the library's memory: the printed fields at full precision, plus its size. */
export interface HeapModel extends PrintedSummary {
  nUsed: number;
}

export interface LibraryFitRequest {
  values: number[];
  /** One array per regressor (column-major), each as long as `values`. */
  exogColumns: number[][];
  order: SarimaxOrder;
  /** Hard limit: the worker is terminated after this long. */
  timeLimitMs: number;
  /** 0 = CSS-MLE (CSS starting values, then exact likelihood; the default), 1 = exact MLE. */
  method?: EstimationMethod;
  /**
   * Also run the library's predict() (used to check our artifact against the library), with the
   * given coefficients written over the library's own fit when `coefficients` is set.
   */
  predict?: {
    horizon: number;
    exogColumns: number[][];
    coefficients?: { ar: number[]; ma: number[]; sar: number[]; sma: number[]; exog: number[]; mean: number };
  };
}

interface WorkerReply {
  printed: string;
  heap: ({ ok: true } & HeapModel) | { ok: false; reason: string } | null;
  library: { mean: number[]; variance: number[] } | null;
  error: string | null;
}

export type EstimationMethod = 0 | 1;
export const CSS_MLE: EstimationMethod = 0;
export const EXACT_MLE: EstimationMethod = 1;
/**
 * The worker file sits next to this module when run from source (tsx), and next to the bundle in
 * a Lambda package (CommonJS, where esbuild leaves import.meta empty and __dirname is the bundle's).
 */
const workerUrl = import.meta.url
  ? new URL('./fit-worker.cjs', import.meta.url)
  : pathToFileURL(join(__dirname, 'fit-worker.cjs'));

/**
 * Fits one order in a worker thread with a hard time limit. Never throws for a library failure:
 * a crash, a hang past the limit or a return code other than 1 is an `ok: false` result.
 */
export function runLibraryFit(request: LibraryFitRequest): Promise<LibraryFitResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  return new Promise((resolve) => {
    let settled = false;
    const worker = new Worker(workerUrl, {
      workerData: {
        values: request.values,
        exogColumns: request.exogColumns,
        order: request.order,
        method: request.method ?? CSS_MLE,
        predict: request.predict ?? null,
      },
      stdout: true,
      stderr: true,
    });
    const finish = (result: Omit<LibraryFitResult, 'seconds'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve({ ...result, seconds: seconds() });
    };
    const failed = (reason: string, printed = '') =>
      finish({ ok: false, reason, printed, summary: null, heap: null, library: null });
    const timer = setTimeout(
      () => failed(`timeout: fit exceeded ${request.timeLimitMs} ms and was terminated`),
      request.timeLimitMs,
    );
    worker.once('message', (reply: WorkerReply) => finish(interpret(reply)));
    worker.once('error', (error) => failed(`crash: ${error.message}`));
    worker.once('exit', (code) => failed(`crash: the fit worker exited (code ${code}) without a result`));
  });
}

function interpret(reply: WorkerReply): Omit<LibraryFitResult, 'seconds'> {
  if (reply.error !== null) {
    return {
      ok: false,
      reason: `crash: ${reply.error}`,
      printed: reply.printed,
      summary: null,
      heap: null,
      library: null,
    };
  }
  const summary = parseSummary(reply.printed);
  const heap = reply.heap?.ok ? stripOk(reply.heap) : null;
  const returnCode = heap?.returnCode ?? summary?.returnCode;
  const aic = heap?.aic ?? summary?.aic;
  const base = { printed: reply.printed, summary, heap, library: reply.library };
  if (returnCode === undefined) return { ...base, ok: false, reason: 'no return code in the library output' };
  if (returnCode !== 1)
    return { ...base, ok: false, reason: `return code ${returnCode}${describeCode(returnCode)}` };
  if (aic === undefined || !Number.isFinite(aic))
    return { ...base, ok: false, reason: 'return code 1 but the AIC is not finite' };
  return { ...base, ok: true };
}

function stripOk(heap: { ok: true } & HeapModel): HeapModel {
  const { ok: _ok, ...rest } = heap;
  return rest;
}

/** ctsa's documented codes (sarimax_init). */
function describeCode(code: number): string {
  const meaning: Record<number, string> = {
    0: 'input error',
    4: 'optimizer did not converge',
    7: 'exogenous variables are collinear',
    10: 'non-stationary AR part',
    12: 'non-stationary seasonal AR part',
    15: 'optimizer met Inf/NaN',
  };
  const text = meaning[code];
  return text ? ` (${text})` : '';
}
