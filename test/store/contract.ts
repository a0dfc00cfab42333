import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../../src/store/store';
import { budgetCases } from './cases/budgets';
import { cacheCases } from './cases/cache';
import { callCases } from './cases/calls';
import { concurrencyCases } from './cases/concurrency';
import { deadLetterCases } from './cases/dead-letters';
import { dedupCases } from './cases/dedup';
import { migrationCases } from './cases/migrations';
import { planCases } from './cases/plans';
import { qualityCases } from './cases/quality';
import { runCases } from './cases/runs';
import { scoreCases } from './cases/scores';
import { seed } from './fixtures';

/** One empty database (a SQLite file, a PostgreSQL schema) that stores can be opened on. */
export interface StoreFixture {
  /** A new, unmigrated store instance with its own connection(s) to this database. */
  open(): Store;
  /** Removes the database; every store opened on it is closed first. */
  dispose(): Promise<void>;
}

export type StoreFactory = () => Promise<StoreFixture>;

export interface ContractContext {
  /** A migrated store holding run-1, with job-1 planned at seq 0 (see `seed`). */
  readonly store: Store;
  /** Another store on the same database, as a second worker would open it; closed after the test. */
  connect(): Store;
  /** An empty database of the test's own, for migration cases; its stores close after the test. */
  fresh(): Promise<StoreFixture>;
}

/** A group of cases; each reads `ctx.store` inside its tests, never at registration time. */
export type ContractCases = (ctx: ContractContext) => void;

/**
 * Every behaviour a Store promises: one file per aggregate (src/store/*-store.ts), in the
 * order of store.ts, and two that cut across them: concurrent writers and migrations.
 * A new interface method gets its cases in its aggregate's file.
 */
const CASES: ContractCases[] = [
  runCases,
  planCases,
  callCases,
  scoreCases,
  cacheCases,
  deadLetterCases,
  budgetCases,
  qualityCases,
  dedupCases,
  concurrencyCases,
  migrationCases,
];

/**
 * Registers the whole contract against one backend. `skip` names why the backend is not
 * available; the suite then shows as skipped with that reason in its title.
 */
export function describeStoreContract(
  name: string,
  factory: StoreFactory,
  options: { skip?: string | undefined } = {},
): void {
  const title = options.skip ? `${name} (skipped: ${options.skip})` : name;
  describe.skipIf(Boolean(options.skip))(title, () => {
    let main: Store | undefined;
    let cleanups: Array<() => Promise<void>> = [];
    const track = (fixture: StoreFixture): StoreFixture => {
      const stores: Store[] = [];
      cleanups.push(async () => {
        await Promise.all(stores.map((s) => s.close()));
        await fixture.dispose();
      });
      return {
        open: () => {
          const s = fixture.open();
          stores.push(s);
          return s;
        },
        dispose: () => Promise.resolve(), // done after the test, once its stores are closed
      };
    };
    let current: StoreFixture | undefined;

    const ctx: ContractContext = {
      get store() {
        if (!main) throw new Error('ctx.store is only available inside a test');
        return main;
      },
      connect: () => {
        if (!current) throw new Error('ctx.connect() is only available inside a test');
        return current.open();
      },
      fresh: async () => track(await factory()),
    };

    beforeEach(async () => {
      current = track(await factory());
      main = current.open();
      await main.migrate();
      await seed(main);
    });

    afterEach(async () => {
      const pending = cleanups;
      cleanups = [];
      main = current = undefined;
      for (const cleanup of pending) await cleanup();
    });

    for (const cases of CASES) cases(ctx);
  });
}
