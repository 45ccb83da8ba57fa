'use strict';
/**
 * Runs ONE fit of the `arima` package (ctsa compiled to WebAssembly) inside a worker thread, so the
 * parent can terminate() it: a hung WASM call cannot be interrupted any other way, and a crash
 * (`memory access out of bounds`) must not take the caller down.
 *
 * Plain CommonJS on purpose: worker threads do not get the TypeScript loader, and the library's
 * own entry point instantiates the module with console.log as its print hook, so we build our own
 * instance (the package's `exports` map hides the files, hence the paths from its resolved root).
 *
 * Posts exactly one message: { printed, heap, library, error }.
 */
const { parentPort, workerData } = require('node:worker_threads');

const path = require('node:path');
// Lambda packages ship this file and node_modules/arima next to the bundle (see the train
// function's bundleCopies in lib/config/pipeline-definition.ts).
const root = path.dirname(require.resolve('arima'));
const createModule = require(path.join(root, 'wasm/native-sync.js'));
const wasmBinary = require(path.join(root, 'wrapper/native.bin.js'));

/**
 * struct sarimax_set of ctsa on wasm32 (ints and pointers 4 bytes, doubles 8-aligned). The printed
 * summary has ~6 significant digits; the struct holds the full doubles predict() uses. Every
 * field is checked against what we asked for, and the parent falls back to the printout if not.
 */
function readModel(module, modelPointer, expected) {
  const heap32 = module.HEAP32;
  const heapF64 = module.HEAPF64;
  const base = heap32[modelPointer >> 2];
  if (!base || base % 8 !== 0) return { ok: false, reason: 'model pointer is not 8-aligned' };
  const int = (offset) => heap32[(base + offset) >> 2];
  const dbl = (offset) => heapF64[(base + offset) >> 3];
  const doubles = (pointer, count) => Array.from(heapF64.subarray(pointer >> 3, (pointer >> 3) + count));
  const fields = {
    N: int(0),
    Nused: int(4),
    p: int(16),
    d: int(20),
    q: int(24),
    s: int(28),
    P: int(32),
    D: int(36),
    Q: int(40),
    r: int(44),
  };
  for (const key of Object.keys(expected)) {
    if (fields[key] !== expected[key]) {
      return { ok: false, reason: `struct field ${key} is ${fields[key]}, expected ${expected[key]}` };
    }
  }
  return {
    ok: true,
    nUsed: fields.Nused,
    ar: doubles(int(56), fields.p),
    ma: doubles(int(60), fields.q),
    sar: doubles(int(64), fields.P),
    sma: doubles(int(68), fields.Q),
    exog: doubles(int(72), fields.r),
    mean: dbl(88),
    sigma2: dbl(96),
    logLikelihood: dbl(104),
    aic: dbl(112),
    returnCode: int(120),
  };
}

/** Writes coefficients into the struct's arrays (the same offsets readModel reads). */
function writeModel(module, modelPointer, coefficients) {
  const heap32 = module.HEAP32;
  const heapF64 = module.HEAPF64;
  const base = heap32[modelPointer >> 2];
  const int = (offset) => heap32[(base + offset) >> 2];
  const put = (pointer, values) => heapF64.set(values, pointer >> 3);
  put(int(56), coefficients.ar);
  put(int(60), coefficients.ma);
  put(int(64), coefficients.sar);
  put(int(68), coefficients.sma);
  put(int(72), coefficients.exog);
  heapF64[(base + 88) >> 3] = coefficients.mean;
}

/** Optimizer 6 = L-BFGS, the package's default. */
const LBFGS = 6;

/**
 * The package's wrapper passes the series with ccall 'array' arguments, which are copied onto the
 * 64 KB WebAssembly stack: series + regressors beyond ~64 KB (about 8,100 points without exog,
 * about 2,700 with two regressors) overflow it ("offset is out of bounds" / "memory access out of
 * bounds"). No malloc is exported, but predict_sarimax returns a malloc'd block of 2·L doubles:
 * a throwaway AR(1) fit on a few points gives us heap memory to hold the real inputs, and the
 * raw exports are then called with heap pointers, as a C caller would.
 */
function allocateDoubles(module, count) {
  const seed = new Uint8Array(Float64Array.from({ length: 32 }, (_, i) => Math.sin(i) + (i % 3)).buffer);
  const none = new Uint8Array(0);
  const dummy = module.ccall(
    'fit_sarimax',
    'number',
    [
      'array',
      'array',
      'number',
      'number',
      'number',
      'number',
      'number',
      'number',
      'number',
      'number',
      'number',
      'number',
      'number',
      'boolean',
    ],
    [seed, none, 1, 0, 0, 0, 0, 0, 0, 0, 32, 0, LBFGS, false],
  );
  const halves = Math.max(1, Math.ceil(count / 2));
  const pointer = module.ccall(
    'predict_sarimax',
    'number',
    ['number', 'array', 'array', 'array', 'number'],
    [dummy, seed, none, none, halves],
  );
  module._free_sarimax(dummy);
  return pointer;
}

function run() {
  const { values, exogColumns, order, method, predict } = workerData;
  const printed = [];
  const module = createModule({
    wasmBinary,
    print: (line) => printed.push(line),
    printErr: (line) => printed.push(line),
  });
  const n = values.length;
  const r = exogColumns.length;
  const horizon = predict ? predict.horizon : 0;
  const block = allocateDoubles(module, n + n * r + horizon * Math.max(r, 1));
  const tsPointer = block;
  const exogPointer = block + 8 * n;
  const newExogPointer = exogPointer + 8 * n * r;
  module.HEAPF64.set(values, tsPointer >> 3);
  // Column-major, the layout the C code reads (xreg[j * N + i]).
  exogColumns.forEach((column, j) => {
    module.HEAPF64.set(column, (exogPointer >> 3) + j * n);
  });
  // P + D + Q = 0 means no seasonal part; the library then ignores s (as its wrapper does).
  const s = order.P + order.D + order.Q === 0 ? 0 : order.s;
  const model = module._fit_sarimax(
    tsPointer,
    r > 0 ? exogPointer : 0,
    order.p,
    order.d,
    order.q,
    order.P,
    order.D,
    order.Q,
    s,
    r,
    n,
    method,
    LBFGS,
    1,
  );
  const expected = { N: n, p: order.p, d: order.d, q: order.q, P: order.P, D: order.D, Q: order.Q, s, r };
  // The library's predict() for coefficients estimated elsewhere: written over the fitted ones in
  // the struct (the only fields predict reads besides the data), then read back below.
  if (predict?.coefficients) {
    const check = readModel(module, model, expected);
    if (!check.ok) throw new Error(`cannot override the coefficients: ${check.reason}`);
    writeModel(module, model, predict.coefficients);
  }
  const heap = readModel(module, model, expected);
  let library = null;
  if (predict) {
    predict.exogColumns.forEach((column, j) => {
      module.HEAPF64.set(column, (newExogPointer >> 3) + j * horizon);
    });
    const result = module._predict_sarimax(model, tsPointer, exogPointer, newExogPointer, horizon);
    const out = Array.from(module.HEAPF64.subarray(result >> 3, (result >> 3) + 2 * horizon));
    module._free_result(result);
    library = { mean: out.slice(0, horizon), variance: out.slice(horizon) };
  }
  module._free_sarimax(model);
  module._free_result(block);
  return { printed: printed.join('\n'), heap, library, error: null };
}

try {
  parentPort.postMessage(run());
} catch (error) {
  parentPort.postMessage({
    printed: '',
    heap: null,
    library: null,
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  });
}
