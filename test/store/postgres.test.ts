import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/schema';
import { describeStoreContract } from './contract';
import { call, seed } from './fixtures';

const url = inject('pgUrl');
const skip = url ? undefined : inject('pgSkipReason') || 'no PostgreSQL available';

// One small pool for creating and dropping the per-test schemas.
let admin: pg.Pool | undefined;
const sql = (text: string) => (admin ??= new pg.Pool({ connectionString: url, max: 2 })).query(text);
afterAll(async () => {
  await admin?.end();
});

const newSchema = () => `test_${randomBytes(6).toString('hex')}`;

// A fresh schema per test, so tests never see each other's rows (and may run in any order).
describeStoreContract(
  'PostgresStore',
  () => {
    const schema = newSchema();
    return Promise.resolve({
      open: () => new PostgresStore(url, { schema, poolSize: 4 }),
      dispose: async () => {
        await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      },
    });
  },
  { skip },
);

describe.skipIf(Boolean(skip))('PostgresStore on a real server', () => {
  const withSchema = async (schema: string, fn: (store: PostgresStore) => Promise<void>, storeUrl = url) => {
    const store = new PostgresStore(storeUrl, storeUrl === url ? { schema } : {});
    try {
      await fn(store);
    } finally {
      await store.close();
      await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  };

  it('records each migration once in schema_migrations, however often it migrates', async () => {
    const schema = newSchema();
    await withSchema(schema, async (store) => {
      await Promise.all([store.migrate(), store.migrate()]);
      await store.migrate();
      const applied = await sql(`SELECT id, applied_at FROM ${schema}.schema_migrations ORDER BY id`);
      expect(applied.rows.map((r: { id: number }) => r.id)).toStrictEqual(
        POSTGRES_MIGRATIONS.map((m) => m.id),
      );
    });
  });

  it('takes its schema from the URL, leaving the default schema alone', async () => {
    const schema = newSchema();
    const withParam = new URL(url);
    withParam.searchParams.set('schema', schema);
    await withSchema(
      schema,
      async (store) => {
        expect(store.schema).toBe(schema);
        await store.migrate();
        await seed(store);
        const tables = await sql(`SELECT tablename FROM pg_tables WHERE schemaname = '${schema}'`);
        expect(tables.rows.map((r: { tablename: string }) => r.tablename)).toContain('runs');
        expect(await store.getRun('run-1')).toMatchObject({ runId: 'run-1' });
      },
      withParam.toString(),
    );
  });

  it('rejects a schema name it would have to quote', () => {
    expect(() => new PostgresStore(url, { schema: 'Robert"); DROP TABLE runs;--' })).toThrow(
      /invalid PostgreSQL schema name/,
    );
  });

  it('refuses to round a bigint that a JavaScript number cannot hold exactly', async () => {
    await withSchema(newSchema(), async (store) => {
      await store.migrate();
      const id = await store.recordCall(call({ costPico: 2 ** 53 + 2 }));
      await expect(store.getCall(id)).rejects.toThrow(RangeError);
    });
  });
});
