#!/usr/bin/env node
import { CommanderError } from 'commander';
import { buildProgram } from './program';

buildProgram()
  .parseAsync()
  .catch((err: unknown) => {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
