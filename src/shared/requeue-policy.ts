import { recentFailureRatio, type BreakerState } from './breaker';

/** Rounds a listing may fail on its own (API otherwise healthy) before it is dead-lettered. */
export const HEALTHY_FAILURE_ROUNDS = 2;
/** Above this share of recent failures a listing's failure is suspected to be the provider's. */
export const SUSPECT_FAILURE_RATIO = 0.25;
/** Rounds (normal or probe) after which a listing is dead-lettered whatever the cause. */
export const MAX_TRANSIENT_ROUNDS = 12;

/**
 * What a shard does with a listing whose retries ran out on a retryable error: the rule that
 * tells an outage from a listing that fails on its own. Pure and deterministic, so the shard
 * workflow owns the state and a unit test can walk it through an outage without Temporal.
 *
 * While failures pile up (the breaker open, or about to open) nothing is held against the
 * listing: it goes back in the queue. Only a failure amid mostly successes counts toward its
 * dead letter, and a repeat failure counts only if other listings succeeded since this one
 * last failed (at the start of an outage a requeued listing can fail again before the breaker
 * opens). A hard cap on rounds keeps one listing that always fails from probing forever.
 */
export class RequeuePolicy {
  private successes = 0;
  private readonly rounds = new Map<string, number>();
  private readonly healthyFailures = new Map<string, { rounds: number; successesAtLastFailure: number }>();

  /** Any listing that got an answer (scored, or dead for a reason of its own). */
  succeeded(): void {
    this.successes++;
  }

  /** Back in the queue, or dead-lettered with `retries_exhausted`. */
  afterTransientFailure(listingId: string, breaker: BreakerState): 'requeue' | 'dead' {
    const total = (this.rounds.get(listingId) ?? 0) + 1;
    this.rounds.set(listingId, total);
    const before = this.healthyFailures.get(listingId);
    const apiAnsweredMeanwhile = !before || this.successes > before.successesAtLastFailure;
    const suspect =
      breaker.open || recentFailureRatio(breaker) >= SUSPECT_FAILURE_RATIO || !apiAnsweredMeanwhile;
    const healthyRounds = (before?.rounds ?? 0) + (suspect ? 0 : 1);
    this.healthyFailures.set(listingId, { rounds: healthyRounds, successesAtLastFailure: this.successes });
    return healthyRounds < HEALTHY_FAILURE_ROUNDS && total < MAX_TRANSIENT_ROUNDS ? 'requeue' : 'dead';
  }
}
