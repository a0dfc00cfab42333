import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The real Temporal server's frontend (scripts/cluster/server.sh). */
    clusterAddress: string;
    /** The PostgreSQL that holds both Temporal's databases and the Scoreline store. */
    clusterPgUrl: string;
  }
}

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');

async function script(path: string, ...args: string[]): Promise<string> {
  // 25 minutes: on a fresh machine server.sh builds the server from the Go module first.
  const { stdout } = await run('bash', [resolve(root, path), ...args], {
    timeout: 1_500_000,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim().split('\n').pop() ?? '';
}

/**
 * Starts PostgreSQL (scripts/postgres.sh) and the Temporal server on it; stops the server
 * afterwards. There is no skip: this tier exists to run the real thing, so a missing piece
 * fails it with the script's own message.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pgUrl = process.env.SCORELINE_TEST_PG_URL ?? (await script('scripts/postgres.sh', 'start'));
  const address = await script('scripts/cluster/server.sh', 'start');
  project.provide('clusterAddress', address);
  project.provide('clusterPgUrl', pgUrl);
  return async () => {
    await script('scripts/cluster/server.sh', 'stop');
  };
}
