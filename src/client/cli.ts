#!/usr/bin/env node
import { CommanderError } from 'commander';
import { initErrorTracking } from '../observability/error-tracking';
import { buildProgram } from './program';

// The CLI's own failures (not a user's mistyped flag) go to Sentry when SENTRY_DSN is set.
const errors = initErrorTracking({
  dsn: process.env.SENTRY_DSN,
  component: 'cli',
  secrets: [process.env.OPENAI_API_KEY],
});

buildProgram()
  .parseAsync()
  .catch(async (err: unknown) => {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    errors.error(err, { event: 'cli_failed', command: process.argv[2] });
    await errors.flush();
    process.exit(1);
  });
