import { Context } from '@temporalio/activity';
import { completeScoring, type CompletionResult } from '../llm/client';
import { reserveWorstCase, waitForTokenBudget } from '../llm/call/guards';
import { recordFailure, recordSuccess, type SentCall } from '../llm/call/record';
import { prepareCall, reusedResult, type ScoreListingInput } from '../llm/call/request';
import { PROMPT_VERSION } from '../scoring/prompt';
import { SCHEMA_VERSION } from '../scoring/schema';
import type { ScoreCallResult } from '../shared/messages';
import { budgetScopes } from '../shared/money';
import type { ActivityDeps } from './deps';

export type { ScoreListingInput } from '../llm/call/request';

/**
 * One Chat Completions call for one listing. The call is recorded before the activity
 * returns, and a successful call for the same prompt in the same run is reused rather than
 * paid for again, so a retry of any later step, a worker crash or a reset never double-bills.
 * Building the request, the budget and token guards, and recording the outcome live in
 * src/llm/call; this adapter orders them and owns the activity context.
 */
export function makeScoreListing(deps: ActivityDeps) {
  return async function scoreListing(input: ScoreListingInput): Promise<ScoreCallResult> {
    const ctx = Context.current();
    const { attempt, workflowExecution } = ctx.info;
    const { request, hash, runDate } = await prepareCall(deps.store, input);
    const previous = await deps.store.findReusableCall(input.runId, input.listingId, hash);
    if (previous) return reusedResult(previous);

    const scopes = budgetScopes(input.runId, runDate);
    // Tokens first: a call that must come back later holds no part of the cost budget meanwhile.
    const tokens = await waitForTokenBudget(deps, input.model, request, ctx);
    const worstCase = await reserveWorstCase(deps, scopes, input.model, request).catch(
      async (err: unknown) => {
        if (tokens) await deps.tokenLimiter?.release(tokens.reservation);
        throw err;
      },
    );
    const call: SentCall = {
      base: {
        runId: input.runId,
        listingId: input.listingId,
        workflowId: workflowExecution?.workflowId ?? 'unknown',
        attempt,
        model: input.model,
        route: 'sync',
        promptHash: hash,
        promptVersion: PROMPT_VERSION,
        schemaVersion: SCHEMA_VERSION,
        startedAt: new Date().toISOString(),
      },
      runDate,
      scopes,
      worstCase,
      tokens,
      started: performance.now(),
    };
    let completion: CompletionResult;
    try {
      // Heartbeats let the server notice a dead worker in seconds instead of waiting out the
      // start-to-close timeout (a SIGKILLed worker's calls otherwise stall two minutes).
      const beat = setInterval(() => ctx.heartbeat(), 5_000);
      try {
        completion = await completeScoring(deps.openai, request, ctx.cancellationSignal, deps.outputModes);
      } finally {
        clearInterval(beat);
      }
    } catch (err) {
      throw await recordFailure(deps, call, err, ctx.info.retryPolicy?.maximumAttempts);
    }
    return recordSuccess(deps, call, completion);
  };
}
