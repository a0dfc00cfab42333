import type { BudgetChange, DeadLetterInput } from '../shared/messages';
import type { ActivityDeps } from './deps';
import { budgetScopes } from '../shared/money';
import { usdToPico } from '../shared/money';

export function makeSetBudgets(deps: ActivityDeps) {
  /** Writes the run's and the day's limits; the store's reservations enforce them. */
  return async function setBudgets(input: { runId: string; runDate: string } & BudgetChange): Promise<void> {
    const [runScope, dayScope] = budgetScopes(input.runId, input.runDate) as [string, string];
    if (input.budgetUsd !== undefined) await deps.store.setBudgetLimit(runScope, usdToPico(input.budgetUsd));
    if (input.dailyBudgetUsd !== undefined)
      await deps.store.setBudgetLimit(dayScope, usdToPico(input.dailyBudgetUsd));
  };
}

export function makeDeadLetterMany(deps: ActivityDeps) {
  /** Parks many listings at once (a run finished early); keyed by (run, listing) like single letters. */
  return async function deadLetterMany(
    input: Omit<DeadLetterInput, 'listingId' | 'attempts' | 'model'> & { listingIds: string[] },
  ): Promise<void> {
    const createdAt = new Date().toISOString();
    for (const listingId of input.listingIds) {
      await deps.store.deadLetter({ ...input, listingId, attempts: 0, model: null, createdAt });
    }
    deps.metrics?.deadLetter({
      reason: input.reason,
      errorType: input.errorType,
      count: input.listingIds.length,
    });
    deps.logger.warn(
      { event: 'dead_letter', runId: input.runId, count: input.listingIds.length, reason: input.reason },
      'listings parked',
    );
  };
}
