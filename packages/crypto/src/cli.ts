#!/usr/bin/env node
// `npx @smartsocket/crypto keygen`: prints a new encryption key.
import { runCli } from './cli-main.js';

process.exitCode = runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
