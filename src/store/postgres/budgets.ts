import type { BudgetRecord, BudgetStore } from '../store';
import {
  observe,
  postgresBucketChange,
  take,
  validateTokens,
  type BucketObservation,
  type TakeResult,
} from '../token-bucket';
import { BUDGET_SQL } from '../sql/budgets';
import type { PgContext } from './context';

/** Budget statements: see `reserveBudget` for how they combine. */
const SQL = {
  get: `SELECT scope, limit_pico AS "limitPico", reserved_pico AS "reservedPico", spent_pico AS "spentPico"
    FROM budgets WHERE scope = $1`,

  // Row locks in one fixed order (the key's), so writers touching overlapping scopes queue
  // behind each other instead of deadlocking.
  lock: `SELECT scope, limit_pico AS "limitPico", reserved_pico AS "reservedPico", spent_pico AS "spentPico"
    FROM budgets WHERE scope = ANY($1::text[]) ORDER BY scope FOR UPDATE`,

  reserve: `UPDATE budgets SET reserved_pico = reserved_pico + r.amount
    FROM unnest($1::text[], $2::bigint[]) AS r (scope, amount) WHERE budgets.scope = r.scope`,

  // k repeats of SQLite's per-scope MAX(0, reserved - r) step equal one GREATEST(0, reserved - k*r).
  settle: `UPDATE budgets SET reserved_pico = GREATEST(0, reserved_pico - $1 * s.times),
      spent_pico = spent_pico + $2 * s.times
    FROM unnest($3::text[], $4::bigint[]) AS s (scope, times) WHERE budgets.scope = s.scope`,
} as const;

/** Budgets and token buckets on PostgreSQL: row locks in key order inside one transaction. */
export class PostgresBudgets implements BudgetStore {
  constructor(private readonly c: PgContext) {}

  async setBudgetLimit(scope: string, limitPico: number): Promise<void> {
    await this.c.pool.query(BUDGET_SQL.setLimit, [scope, limitPico]);
  }

  async getBudget(scope: string): Promise<BudgetRecord | undefined> {
    return this.c.one<BudgetRecord>(SQL.get, [scope]);
  }

  async takeTokens(key: string, tokens: number, perMinute?: number): Promise<TakeResult> {
    validateTokens(tokens, 'tokens');
    return this.c.withClient((client) =>
      postgresBucketChange(client, key, perMinute, (row, now) => {
        const out = take(row, tokens, perMinute, now);
        return { row: out.row, result: { waitMs: out.waitMs, perMinute: out.row?.capacity } };
      }),
    );
  }

  async observeTokens(key: string, o: BucketObservation): Promise<void> {
    await this.c.withClient((client) =>
      postgresBucketChange(client, key, o.perMinute, (row, now) => ({
        row: observe(row, o, now),
        result: undefined,
      })),
    );
  }

  /**
   * Locks the scopes' rows, checks them in the caller's order (so the first full scope is the
   * one reported, as in SQLite), and reserves in all or none. A scope listed twice is checked
   * and reserved twice, as SQLite's row-by-row loop does.
   */
  async reserveBudget(
    scopes: string[],
    amountPico: number,
  ): Promise<{ ok: true } | { ok: false; scope: string }> {
    return this.c.transaction(async (client): Promise<{ ok: true } | { ok: false; scope: string }> => {
      const rows = (await client.query<BudgetRecord>(SQL.lock, [[...new Set(scopes)]])).rows;
      const budgets = new Map(rows.map((b) => [b.scope, b]));
      const adding = new Map<string, number>();
      for (const scope of scopes) {
        const b = budgets.get(scope);
        if (!b) continue; // no row: unlimited
        const added = (adding.get(scope) ?? 0) + amountPico;
        if (b.spentPico + b.reservedPico + added > b.limitPico) return { ok: false, scope };
        adding.set(scope, added);
      }
      if (adding.size > 0) await client.query(SQL.reserve, [[...adding.keys()], [...adding.values()]]);
      return { ok: true };
    });
  }

  async settleBudget(scopes: string[], reservedPico: number, actualPico: number): Promise<void> {
    if (scopes.length === 0) return;
    const times = new Map<string, number>();
    for (const scope of scopes) times.set(scope, (times.get(scope) ?? 0) + 1);
    await this.c.transaction(async (client) => {
      await client.query(SQL.lock, [[...times.keys()]]);
      await client.query(SQL.settle, [reservedPico, actualPico, [...times.keys()], [...times.values()]]);
    });
  }
}
