import type { DeadLetterInput } from '../shared/messages';
import type { ActivityDeps } from './deps';

export function makeDeadLetter(deps: ActivityDeps) {
  /** Parks a listing for manual review; keyed by (run, listing), so a retry does not add a second letter. */
  return async function deadLetterListing(input: DeadLetterInput): Promise<void> {
    await deps.store.deadLetter({ ...input, createdAt: new Date().toISOString() });
    deps.metrics?.deadLetter({ reason: input.reason, errorType: input.errorType });
    deps.errors?.deadLetter(input);
    deps.logger.warn(
      {
        event: 'dead_letter',
        runId: input.runId,
        listingId: input.listingId,
        reason: input.reason,
        errorType: input.errorType,
      },
      `listing dead-lettered: ${input.reason}`,
    );
  };
}
