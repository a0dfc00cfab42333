import { ApplicationFailure } from '@temporalio/common';
import { buildReaskRequest, buildScoringRequest, promptHash, type ChatRequest } from '../../scoring/prompt';
import { PipelineErrorType, type ScoreCallResult } from '../../shared/messages';
import type { CallRecord, Store } from '../../store/store';

export interface ScoreListingInput {
  runId: string;
  listingId: string;
  model: string;
  /** The call whose answer failed validation: this call is its one re-ask. */
  reaskOf?: number;
}

export interface PreparedCall {
  request: ChatRequest;
  hash: string;
  runDate: string;
}

/** The request for a planned listing (or the re-ask of an invalid answer), and its prompt hash. */
export async function prepareCall(store: Store, input: ScoreListingInput): Promise<PreparedCall> {
  const [planned, run] = await Promise.all([
    store.getPlannedListing(input.runId, input.listingId),
    store.getRun(input.runId),
  ]);
  if (!planned || !run) {
    throw ApplicationFailure.nonRetryable(
      `listing ${input.listingId} is not in the plan of run ${input.runId}`,
      PipelineErrorType.ListingNotPlanned,
    );
  }
  let request = buildScoringRequest(input.model, run.criteria, planned.listing);
  if (input.reaskOf !== undefined) {
    const rejected = await store.getCall(input.reaskOf);
    if (!rejected || rejected.validation !== 'invalid') {
      throw ApplicationFailure.nonRetryable(
        `call ${input.reaskOf} is not an invalid answer to re-ask`,
        PipelineErrorType.NotValidated,
      );
    }
    request = buildReaskRequest(request, {
      toolArguments: rejected.toolArguments,
      error: rejected.validationError ?? 'invalid',
    });
  }
  return { request, hash: promptHash(request), runDate: run.runDate };
}

/** An earlier successful call for the same prompt, returned instead of paying again. */
export function reusedResult(previous: CallRecord): ScoreCallResult {
  return {
    callId: previous.id,
    model: previous.model,
    promptTokens: previous.promptTokens,
    completionTokens: previous.completionTokens,
    // A batch answer was accounted when its batch was collected; a lost sync result was not.
    costPico: previous.route === 'batch' ? 0 : previous.costPico,
    reused: true,
    route: previous.route,
  };
}
