#!/usr/bin/env node
/** The `sfn-local` command of the installed package (see cli.ts for the flags). */
import { main } from './cli.js';

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error('sfn-local: failed to start:', error);
  process.exitCode = 1;
});
