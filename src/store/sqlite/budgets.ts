import type { BudgetRecord, BudgetStore } from '../store';
import {
  observe,
  sqliteBucketChange,
  take,
  validateTokens,
  type BucketObservation,
  type TakeResult,
} from '../token-bucket';
import { BUDGET_SQL } from '../sql/budgets';
import { allForSqlite } from '../sql/placeholders';
import type { SqliteContext } from './context';

const SQL = allForSqlite(BUDGET_SQL);

/** Thrown inside a reservation transaction to roll back the scopes already reserved. */
class BudgetFull extends Error {
  constructor(readonly scope: string) {
    super(`budget ${scope} is full`);
  }
}

/** Budgets and token buckets on SQLite: IMMEDIATE transactions serialise every writer. */
export class SqliteBudgets implements BudgetStore {
  constructor(private readonly c: SqliteContext) {}

  setBudgetLimit(scope: string, limitPico: number): Promise<void> {
    this.c.prepared(SQL.setLimit).run(scope, limitPico);
    return Promise.resolve();
  }

  getBudget(scope: string): Promise<BudgetRecord | undefined> {
    const row = this.c
      .prepared(
        `SELECT scope, limit_pico AS limitPico, reserved_pico AS reservedPico, spent_pico AS spentPico
         FROM budgets WHERE scope = ?`,
      )
      .get(scope) as BudgetRecord | undefined;
    return Promise.resolve(row);
  }

  takeTokens(key: string, tokens: number, perMinute?: number): Promise<TakeResult> {
    try {
      validateTokens(tokens, 'tokens');
      return Promise.resolve(
        sqliteBucketChange(this.c.db, key, (row, now) => {
          const out = take(row, tokens, perMinute, now);
          return { row: out.row, result: { waitMs: out.waitMs, perMinute: out.row?.capacity } };
        }),
      );
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  observeTokens(key: string, o: BucketObservation): Promise<void> {
    sqliteBucketChange(this.c.db, key, (row, now) => ({ row: observe(row, o, now), result: undefined }));
    return Promise.resolve();
  }

  reserveBudget(scopes: string[], amountPico: number): Promise<{ ok: true } | { ok: false; scope: string }> {
    // One IMMEDIATE transaction: the check and the reservation cannot interleave with another
    // writer's, in this process or any other.
    const reserve = this.c.db.transaction((): { ok: true } | { ok: false; scope: string } => {
      const room = this.c.prepared(
        `UPDATE budgets SET reserved_pico = reserved_pico + ?
         WHERE scope = ? AND spent_pico + reserved_pico + ? <= limit_pico`,
      );
      const exists = this.c.prepared('SELECT 1 FROM budgets WHERE scope = ?');
      for (const scope of scopes) {
        if (room.run(amountPico, scope, amountPico).changes === 0 && exists.get(scope)) {
          throw new BudgetFull(scope);
        }
      }
      return { ok: true };
    });
    try {
      return Promise.resolve(reserve.immediate());
    } catch (err) {
      if (err instanceof BudgetFull) return Promise.resolve({ ok: false, scope: err.scope });
      throw err;
    }
  }

  settleBudget(scopes: string[], reservedPico: number, actualPico: number): Promise<void> {
    const stmt = this.c.prepared(
      `UPDATE budgets SET reserved_pico = MAX(0, reserved_pico - ?), spent_pico = spent_pico + ? WHERE scope = ?`,
    );
    this.c.db.transaction(() => {
      for (const scope of scopes) stmt.run(reservedPico, actualPico, scope);
    })();
    return Promise.resolve();
  }
}
