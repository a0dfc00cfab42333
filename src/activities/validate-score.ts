import { ApplicationFailure } from '@temporalio/activity';
import { judgeRecordedCall } from '../quality/verdict';
import { callToPersist } from '../scoring/gate';
import { PipelineErrorType, type GateItem, type GateResult } from '../shared/messages';
import type { CallRecord } from '../store/store';
import type { ActivityDeps } from './deps';

export function makeValidateAndPersist(deps: ActivityDeps) {
  const judge = (call: CallRecord) => judgeRecordedCall(deps, call);

  const recorded = async (callId: number): Promise<CallRecord> => {
    const call = await deps.store.getCall(callId);
    if (!call || call.status !== 'ok') {
      throw ApplicationFailure.nonRetryable(
        `call ${callId} has no output to validate`,
        PipelineErrorType.NotValidated,
      );
    }
    return call;
  };

  /**
   * The gate in front of the database, for a wave of recorded answers in one step: judges
   * each, writes the verdict on its call row, and persists the listing's score when the
   * answer is valid (or falls back to the earlier valid answer the item names). The store
   * only copies rows marked valid (`INSERT … SELECT … WHERE validation = 'valid'`), so
   * nothing unjudged is persisted even if this step were wrong. Safe to retry: verdicts are
   * read back, and scores are upserts keyed by (run, listing).
   */
  return async function validateAndPersist(input: {
    runId: string;
    items: GateItem[];
  }): Promise<GateResult[]> {
    const results: GateResult[] = [];
    for (const item of input.items) {
      const call = await recorded(item.callId);
      if (call.runId !== input.runId || call.listingId !== item.listingId) {
        throw ApplicationFailure.nonRetryable(
          `call ${item.callId} answers listing ${call.listingId} of run ${call.runId}, not ${item.listingId} of ${input.runId}`,
          PipelineErrorType.NotValidated,
        );
      }
      const verdict = await judge(call);
      const chosen = callToPersist(item, verdict);
      let persisted: GateResult['persisted'] = null;
      if (chosen !== null) {
        const source = chosen === call.id ? call : await recorded(chosen);
        // A fresh verdict is not on the row read above; an earlier one (`otherwise`) is.
        const score = chosen === call.id && verdict.valid ? verdict.score : source.score;
        const outcome = await deps.store.persistValidatedScore(input.runId, item.listingId, chosen);
        if (outcome === 'not-validated' || score === null) {
          throw ApplicationFailure.nonRetryable(
            `call ${chosen} for listing ${item.listingId} was not validated; refusing to persist`,
            PipelineErrorType.NotValidated,
          );
        }
        persisted = { callId: chosen, model: source.model, score, route: source.route };
        deps.metrics?.scored({ model: source.model, route: source.route, score });
      }
      results.push({ callId: item.callId, verdict, persisted });
    }
    return results;
  };
}
