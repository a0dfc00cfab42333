import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite';
import { describeStoreContract } from './contract';

// A fresh database file per test; every instance opened on the fixture shares it.
describeStoreContract('SqliteStore', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'scoreline-store-'));
  return {
    open: () => new SqliteStore(join(dir, 'db.sqlite')),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});
