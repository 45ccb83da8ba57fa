/**
 * `smlp-models`: the model registry (versions, champion, history, download, rollback) against S3
 * or the local emulator, and fit/forecast on a user's own CSV without AWS. `cli/bin.mjs` runs this
 * through tsx; `node --import tsx cli/smlp-models.ts …` does the same.
 */
import { main } from './main.js';
import { nodeContext } from './node-context.js';

// The SDK warns on every run under Node 20 that its 2027 releases will need Node 22; this
// project supports Node 20, so the CLI's stderr stays for its own messages (set it to false to see it).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// exitCode rather than process.exit(): pending stdout writes to a pipe are flushed first.
process.exitCode = await main(process.argv.slice(2), nodeContext());
