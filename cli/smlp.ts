/**
 * `smlp`: the project's command line. The model registry (versions, champion, history, download,
 * rollback), the state machines (machines, start, executions, execution, redrive, backfill), on
 * AWS or the running `npm start`, and fit/forecast on a user's own CSV without AWS.
 * `cli/bin.mjs` runs this through tsx (as `smlp` and, its earlier name, `smlp-models`);
 * `node --import tsx cli/smlp.ts …` does the same.
 */
import { main } from './main.js';
import { nodeContext } from './node-context.js';

// The SDK warns on every run under Node 20 that its 2027 releases will need Node 22; this
// project supports Node 20, so the CLI's stderr stays for its own messages (set it to false to see it).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// exitCode rather than process.exit(): pending stdout writes to a pipe are flushed first.
process.exitCode = await main(process.argv.slice(2), nodeContext());
