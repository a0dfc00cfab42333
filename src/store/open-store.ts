import { fileURLToPath } from 'node:url';
import { PostgresStore } from './postgres';
import { SqliteStore } from './sqlite';
import type { Store } from './store';

/**
 * Opens the store a configuration names: a `postgres://` or `postgresql://` URL is PostgreSQL
 * (with an optional `?schema=`); a `file://` URL or anything without a scheme is a SQLite file
 * path (or `:memory:`). Any other scheme is a mistake worth stopping for, not a file to create.
 * The store is not migrated yet: call `migrate()` before use.
 */
export function openStore(urlOrPath: string): Store {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(urlOrPath)?.[1]?.toLowerCase();
  if (scheme === undefined) return new SqliteStore(urlOrPath);
  if (scheme === 'postgres' || scheme === 'postgresql') return new PostgresStore(urlOrPath);
  if (scheme === 'file') return new SqliteStore(fileURLToPath(urlOrPath));
  throw new Error(`unsupported store URL scheme ${scheme}: use a file path (SQLite) or postgres://`);
}
