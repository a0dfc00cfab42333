import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL the store tests use; empty when none is available (see pgSkipReason). */
    pgUrl: string;
    pgSkipReason: string;
  }
}

const run = promisify(execFile);
const script = resolve(import.meta.dirname, '../../scripts/postgres.sh');

/**
 * Finds the PostgreSQL server for the store contract: SCORELINE_TEST_PG_URL if set, otherwise
 * the project's own throwaway server (scripts/postgres.sh). Without one the Postgres suite is
 * skipped with a warning, unless CI or SCORELINE_REQUIRE_PG demands it. A server started here
 * is stopped again afterwards; one that was already running is left running.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const required = Boolean(process.env.CI || process.env.SCORELINE_REQUIRE_PG);
  const given = process.env.SCORELINE_TEST_PG_URL;
  let url = '';
  let reason = '';
  let startedHere = false;

  if (given) {
    // An explicit URL that does not answer is a misconfiguration, never a reason to skip.
    await ping(given).catch((err: unknown) => {
      throw new Error(`SCORELINE_TEST_PG_URL does not answer: ${describe(err)}`, { cause: err });
    });
    url = given;
  } else {
    try {
      const wasRunning = await postgres('status').then(
        () => true,
        () => false,
      );
      const started = (await postgres('start')).trim().split('\n').pop() ?? '';
      startedHere = !wasRunning;
      await ping(started);
      url = started;
    } catch (err) {
      reason = `scripts/postgres.sh start failed: ${describe(err)}`;
    }
  }

  if (!url) {
    if (required)
      throw new Error(`PostgreSQL is required here (CI or SCORELINE_REQUIRE_PG is set), but ${reason}`);
    console.warn(
      `\n⚠  Skipping the PostgresStore contract: ${reason}\n` +
        '   Set SCORELINE_TEST_PG_URL, or fix scripts/postgres.sh; CI=1 or SCORELINE_REQUIRE_PG=1 makes this fail.\n',
    );
  }
  project.provide('pgUrl', url);
  project.provide('pgSkipReason', reason);

  return async () => {
    if (startedHere) await postgres('stop');
  };
}

async function postgres(command: 'start' | 'stop' | 'status'): Promise<string> {
  // Ten minutes: a first start may apt-get install PostgreSQL.
  const { stdout } = await run('bash', [script, command], { timeout: 600_000, encoding: 'utf8' });
  return stdout;
}

async function ping(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

function describe(err: unknown): string {
  const stderr = (err as { stderr?: unknown }).stderr;
  const tail = typeof stderr === 'string' ? stderr.trim().split('\n').slice(-5).join(' | ') : '';
  // A refused connection is an AggregateError with an empty message; its code says enough.
  const code = (err as { code?: unknown }).code;
  return tail || (err instanceof Error && err.message) || (typeof code === 'string' ? code : String(err));
}
