// A worker thread's entry: TypeScript through tsx's loader (registered per thread), then the
// child-execution worker. Plain JavaScript because nothing can load TypeScript before this runs.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
