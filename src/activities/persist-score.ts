import { ApplicationFailure } from '@temporalio/activity';
import { PipelineErrorType } from '../shared/messages';
import type { ActivityDeps } from './deps';

export function makePersistScore(deps: ActivityDeps) {
  /** Idempotent upsert keyed by (run, listing); refuses anything the validation step did not pass. */
  return async function persistScore(input: {
    runId: string;
    listingId: string;
    callId: number;
  }): Promise<void> {
    const outcome = await deps.store.persistValidatedScore(input.runId, input.listingId, input.callId);
    if (outcome === 'not-validated') {
      throw ApplicationFailure.nonRetryable(
        `call ${input.callId} for listing ${input.listingId} was not validated; refusing to persist`,
        PipelineErrorType.NotValidated,
      );
    }
    if (deps.metrics) {
      const call = await deps.store.getCall(input.callId);
      if (call && call.score !== null)
        deps.metrics.scored({ model: call.model, route: call.route, score: call.score });
    }
  };
}
