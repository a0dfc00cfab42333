import { ApplicationFailure } from '@temporalio/activity';
import type { Route } from '../scoring/pricing';
import { PipelineErrorType } from '../shared/messages';
import type { ActivityDeps } from './deps';

export function makePersistScore(deps: ActivityDeps) {
  /** Idempotent upsert keyed by (run, listing); refuses anything the validation step did not pass. */
  return async function persistScore(input: {
    runId: string;
    listingId: string;
    callId: number;
    /** The validated answer, for the metrics: the workflow has it, so no second read. */
    scored?: { model: string; route: Route; score: number };
  }): Promise<void> {
    const outcome = await deps.store.persistValidatedScore(input.runId, input.listingId, input.callId);
    if (outcome === 'not-validated') {
      throw ApplicationFailure.nonRetryable(
        `call ${input.callId} for listing ${input.listingId} was not validated; refusing to persist`,
        PipelineErrorType.NotValidated,
      );
    }
    if (input.scored) deps.metrics?.scored(input.scored);
  };
}
