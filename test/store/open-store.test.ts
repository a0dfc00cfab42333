import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store';
import { PostgresStore } from '../../src/store/postgres';
import { SqliteStore } from '../../src/store/sqlite';

describe('openStore', () => {
  it('opens a SQLite file for a plain path or a file:// URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scoreline-open-'));
    try {
      for (const target of [join(dir, 'a.db'), pathToFileURL(join(dir, 'b.db')).href, ':memory:']) {
        const store = openStore(target);
        expect(store).toBeInstanceOf(SqliteStore);
        await store.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('opens PostgreSQL for postgres:// and postgresql:// URLs, with the schema from the URL', async () => {
    // The pool connects lazily, so no server is needed to see which store was chosen.
    const a = openStore('postgres://app@127.0.0.1:1/scoreline?schema=scoring');
    const b = openStore('POSTGRESQL://app@127.0.0.1:1/scoreline');
    expect(a).toBeInstanceOf(PostgresStore);
    expect(b).toBeInstanceOf(PostgresStore);
    expect((a as PostgresStore).schema).toBe('scoring');
    expect((b as PostgresStore).schema).toBe('public');
    await Promise.all([a.close(), b.close()]);
  });

  it('names the scheme it cannot open instead of creating a file called mysql:', () => {
    expect(() => openStore('mysql://app@db/scoreline')).toThrow(
      'unsupported store URL scheme mysql: use a file path (SQLite) or postgres://',
    );
  });
});
