import { parseArgs } from 'node:util';
import { startLocalStack } from './server.js';

/**
 * `npm run localstack [-- --port 4566]`: LocalStack without Docker, for `npm run deploy:local`.
 * Installs it into .localstack/ the first time, starts it on 127.0.0.1 with the project's Lambda
 * executor, prints what to export, and stops it (leaving no process) on Ctrl-C.
 */
const { values } = parseArgs({ options: { port: { type: 'string', default: '4566' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`--port must be a TCP port number, got "${values.port}"`);
  process.exit(2);
}

const server = await startLocalStack({ port, say: (line) => console.log(line) });
console.log(
  [
    `✔ LocalStack is ready on ${server.endpoint} (log: ${server.logFile}). In another terminal:`,
    '',
    `  export AWS_ENDPOINT_URL=${server.endpoint} AWS_ENDPOINT_URL_S3=${server.endpoint} AWS_S3_FORCE_PATH_STYLE=1`,
    '  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1',
    '  npm run deploy:local',
    '',
    'Ctrl-C stops it; its state goes with it.',
  ].join('\n'),
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('▶ Stopping LocalStack …');
  await server.stop();
  const left = server.leftoverProcesses();
  if (left.length > 0) console.error(`Processes left behind:\n  ${left.join('\n  ')}`);
  process.exit(left.length > 0 ? 1 : 0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => undefined, 60_000);
