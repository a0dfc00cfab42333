import type { BucketObservation, TakeResult } from './token-bucket';

/** Budgets: atomic reservations so concurrent calls cannot overshoot a limit; and the shared token buckets. */
export interface BudgetStore {
  setBudgetLimit(scope: string, limitPico: number): Promise<void>;
  getBudget(scope: string): Promise<BudgetRecord | undefined>;
  /** Reserves `amountPico` in every scope at once, or in none: returns the first scope that lacks room. */
  reserveBudget(scopes: string[], amountPico: number): Promise<{ ok: true } | { ok: false; scope: string }>;
  /** Replaces a reservation by what the call really cost (0 when it failed). */
  settleBudget(scopes: string[], reservedPico: number, actualPico: number): Promise<void>;
  /**
   * The shared tokens-per-minute bucket of `key` (src/store/token-bucket.ts): takes `tokens`
   * and says how long to wait. `perMinute` sets the limit; without it the stored (learned)
   * one holds, and with none known nothing is taken.
   */
  takeTokens(key: string, tokens: number, perMinute?: number): Promise<TakeResult>;
  /** Settles a reservation and records what the provider said: its limit and remaining tokens. */
  observeTokens(key: string, observation: BucketObservation): Promise<void>;
}

export interface BudgetRecord {
  scope: string;
  limitPico: number;
  reservedPico: number;
  spentPico: number;
}
