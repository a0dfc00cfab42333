import type { BudgetStore } from './budget-store';
import type { CacheStore } from './cache-store';
import type { CallStore } from './call-store';
import type { DeadLetterStore } from './dead-letter-store';
import type { DedupStore } from './dedup-store';
import type { PlanStore } from './plan-store';
import type { QualityStore } from './quality-store';
import type { RunStore } from './run-store';
import type { ScoreStore } from './score-store';

export * from './budget-store';
export * from './cache-store';
export * from './call-store';
export * from './dead-letter-store';
export * from './plan-store';
export * from './quality-store';
export * from './run-store';
export * from './score-store';

/**
 * The one interface every persistence backend implements (SQLite embedded, PostgreSQL for
 * production). It owns idempotency: every write is keyed so that a retried, reset or replayed
 * activity cannot create a second row.
 *
 * It is the sum of one small interface per aggregate, each in its own file with its records
 * (re-exported here, so `import … from './store'` keeps working). An interface that extends
 * them, rather than an object holding them, keeps every caller's `store.recordCall(…)` as it
 * was; code that needs one aggregate can ask for just that interface. Each backend is composed
 * the same way (see composed-store.ts, sqlite/, postgres/).
 */
export interface Store
  extends RunStore, PlanStore, CallStore, ScoreStore, CacheStore, DeadLetterStore, BudgetStore, QualityStore {
  /** Embeddings and near-duplicates (see dedup-store.ts), on the same database. */
  readonly dedup: DedupStore;
  migrate(): Promise<void>;
  close(): Promise<void>;
}
