import { Context } from '@temporalio/activity';
import { parseOutputFile, type BatchOutputLine } from '../batch/lines';
import type { Listing } from '../feed/listing';
import { PROMPT_VERSION, buildScoringRequest, promptHash } from '../scoring/prompt';
import { SCHEMA_VERSION } from '../scoring/schema';
import { judgeRecordedCall } from '../quality/verdict';
import { callPages, chunked } from '../store/paging';
import { belowEscalation, mayEscalate } from '../scoring/escalation';
import type { BatchRef, ShardTotals } from '../shared/messages';
import { addCall, addScored, emptyTotals } from '../shared/totals';
import type { NewCallRecord } from '../store/store';
import type { ActivityDeps } from './deps';
import { requireRun } from './batch-submit';
import { budgetScopes } from '../shared/money';
import { batchMode } from './batch-submit';
import { answerText } from '../llm/output-mode';
import { picoToUsd } from '../shared/money';

export function makeCollectBatch(deps: ActivityDeps) {
  /**
   * Downloads a finished batch's output and error files and records one call per line,
   * joined to its listing by custom_id, priced at the batch rate. The prompt hash is the one
   * the synchronous call would have, so the sync pass reuses these answers instead of paying
   * again. Safe to retry: lines already recorded for this batch are skipped.
   */
  return async function collectBatch(input: {
    runId: string;
    batch: BatchRef;
  }): Promise<{ recorded: number; failedLines: number }> {
    const run = await requireRun(deps, input.runId, 'collect a batch for');
    const b = await deps.openai.batches.retrieve(input.batch.batchId);
    // Scoped to the run as well: a listing id recurs day after day, and a batch id is only
    // the provider's word that it is unique.
    const done = new Set<string>();
    for await (const page of callPages(deps.store, { runId: input.runId, batchId: b.id }))
      for (const c of page) done.add(c.listingId);
    // A damaged download throws (retryable, so Temporal downloads it again) rather than be
    // read as fewer answers.
    const file = async (fileId: string | null | undefined) =>
      fileId ? parseOutputFile(fileId, await (await deps.openai.files.content(fileId)).text()) : [];
    const lines = [...(await file(b.output_file_id)), ...(await file(b.error_file_id))];
    const workflowId = Context.current().info.workflowExecution?.workflowId ?? 'unknown';
    const pending = lines.filter((line) => !done.has(line.listingId));
    let recorded = 0;
    let failedLines = 0;
    let billedPico = 0;
    // A chunk of lines at a time: one read for their listings, one transaction for their calls.
    for (const chunk of chunked(pending)) {
      const planned = await deps.store.getPlannedListings(
        input.runId,
        chunk.map((l) => l.listingId),
      );
      const records: NewCallRecord[] = [];
      for (const line of chunk) {
        const listing = planned.get(line.listingId)?.listing;
        if (!listing) continue;
        const record = callOfLine(deps, { ...input, batchId: b.id, workflowId }, run.criteria, listing, line);
        billedPico += record.costPico;
        records.push(record);
      }
      await deps.store.recordCalls(records);
      for (const record of records) {
        deps.metrics?.llmCall({
          model: record.model,
          route: 'batch',
          outcome: record.status,
          errorType: record.status === 'ok' ? undefined : 'LlmServerError',
          durationMs: 0,
          promptTokens: record.promptTokens,
          cachedTokens: record.cachedTokens,
          completionTokens: record.completionTokens,
          costUsd: picoToUsd(record.costPico),
        });
        recorded++;
        if (record.status === 'error') failedLines++;
      }
      if (records.length > 0) Context.current().heartbeat({ recorded });
    }
    await deps.store.settleBudget(
      budgetScopes(input.runId, run.runDate),
      input.batch.reservedPico,
      billedPico,
    );
    deps.logger.info(
      {
        event: 'batch_collected',
        runId: input.runId,
        batchId: b.id,
        status: b.status,
        recorded,
        failedLines,
      },
      'batch collected',
    );
    return { recorded, failedLines };
  };
}

/** The call record of one output line, priced at the batch rate, with the sync call's prompt hash. */
function callOfLine(
  deps: ActivityDeps,
  at: { runId: string; batch: BatchRef; batchId: string; workflowId: string },
  criteria: string,
  listing: Listing,
  line: BatchOutputLine,
): NewCallRecord {
  const model = at.batch.model;
  const request = buildScoringRequest(model, criteria, listing);
  const choice = line.completion?.choices[0];
  const usage = {
    promptTokens: line.completion?.usage?.prompt_tokens ?? 0,
    cachedTokens: line.completion?.usage?.prompt_tokens_details?.cached_tokens ?? 0,
    completionTokens: line.completion?.usage?.completion_tokens ?? 0,
  };
  return {
    runId: at.runId,
    listingId: line.listingId,
    workflowId: at.workflowId,
    attempt: line.round + 1,
    model,
    route: 'batch',
    promptHash: promptHash(request),
    promptVersion: PROMPT_VERSION,
    schemaVersion: SCHEMA_VERSION,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    ...usage,
    costPico: line.completion ? deps.prices.costPico(model, usage, 'batch') : 0,
    status: line.completion ? 'ok' : 'error',
    errorType: line.completion ? null : `Batch:${line.errorCode ?? 'unknown'}`,
    errorMessage: line.errorMessage,
    finishReason: choice?.finish_reason ?? null,
    toolArguments: answerText(choice?.message, batchMode(deps, model)),
    refusal: choice?.message.refusal ?? null,
    batchId: at.batchId,
  };
}

export function makeValidateBatch(deps: ActivityDeps) {
  /** The validation step for a batch: the sync route's judgement, verdict row, metric and log line. */
  return async function validateBatch(input: {
    batchId: string;
  }): Promise<{ valid: number; invalid: number }> {
    let valid = 0;
    let judged = 0;
    const pending = { batchId: input.batchId, status: 'ok', validation: 'pending' } as const;
    for await (const page of callPages(deps.store, pending)) {
      for (const call of page) {
        judged++;
        if ((await judgeRecordedCall(deps, call)).valid) valid++;
      }
    }
    return { valid, invalid: judged - valid };
  };
}

export function makePersistBatch(deps: ActivityDeps) {
  /**
   * Persists the batch's validated answers. A small-model answer below the escalation
   * threshold is left for the synchronous pass, which reuses it and asks the large model.
   */
  return async function persistBatch(input: {
    runId: string;
    batchId: string;
    escalateBelow: number;
  }): Promise<ShardTotals & { lowConfidence: number }> {
    const totals = emptyTotals();
    let lowConfidence = 0;
    for await (const page of callPages(deps.store, {
      runId: input.runId,
      batchId: input.batchId,
      status: 'ok',
    })) {
      const keep: Array<{ listingId: string; callId: number; model: string; score: number }> = [];
      for (const call of page) {
        addCall(totals, call);
        if (call.validation !== 'valid' || call.score === null || call.confidence === null) continue;
        if (
          mayEscalate(call.model, deps.routing.models) &&
          belowEscalation(call.confidence, input.escalateBelow)
        ) {
          lowConfidence++;
          continue;
        }
        keep.push({ listingId: call.listingId, callId: call.id, model: call.model, score: call.score });
      }
      // One write per chunk of answers, not one per answer.
      for (const chunk of chunked(keep)) {
        const written = await deps.store.persistValidatedScores(input.runId, chunk);
        for (const k of chunk) if (written.has(k.callId)) addScored(totals, k.model, k.score);
      }
    }
    return { ...totals, lowConfidence };
  };
}
