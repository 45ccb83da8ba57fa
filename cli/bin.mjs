#!/usr/bin/env node
// The package.json `bin` entry: plain JavaScript, so npx can start it; the CLI itself is
// TypeScript, loaded through tsx (a devDependency, present after `npm ci` in the checkout).
import { register } from 'tsx/esm/api';

register();
await import('./smlp.ts');
