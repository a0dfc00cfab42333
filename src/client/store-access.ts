import type { Config } from '../config';
import { openStore } from '../store/open-store';
import type { RunRecord, Store } from '../store/store';

/**
 * The CLI's way to the store: whichever backend the configuration names (SQLite file or
 * PostgreSQL URL), migrated, and closed again after `fn`.
 */
export async function withStore<T>(config: Config, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = openStore(config.dbPath);
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function requireRun(config: Config, store: Store, runId: string): Promise<RunRecord> {
  const run = await store.getRun(runId);
  if (!run) throw new Error(`no run "${runId}" in ${storeName(config)}`);
  return run;
}

/** The store for messages, without a PostgreSQL URL's credentials. */
export function storeName(config: Config): string {
  return config.dbPath.replace(/\/\/[^@/]*@/, '//');
}
