#!/usr/bin/env node
/** Entry point of the `switchyard` command. User errors print a message and exit 1, no stack trace. */
import { ConfigError } from './config/load.js';
import { buildProgram } from './cli/program.js';

function isAddressInUse(error: unknown): error is NodeJS.ErrnoException {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

try {
  await buildProgram(process.env).parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else if (isAddressInUse(error)) {
    process.stderr.write(`Cannot listen: the address is already in use (${error.message}). Choose another --port.\n`);
  } else {
    process.stderr.write(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
}
