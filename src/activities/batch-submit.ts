import { ApplicationFailure, Context } from '@temporalio/activity';
import { toFile } from 'openai';
import { BATCH_ENDPOINT, batchLine, splitIntoFiles } from '../batch/lines';
import { belowEscalation, mayEscalate } from '../scoring/escalation';
import { buildScoringRequest, worstCaseUsage } from '../scoring/prompt';
import { taskFeatures } from '../scoring/routing';
import { PipelineErrorType, type BatchRef, type BatchStatus } from '../shared/messages';
import type { RunRecord } from '../store/store';
import type { ActivityDeps } from './deps';
import { routeOf } from './route-model';
import { budgetScopes } from '../shared/money';
import { PROCESS_OUTPUT_MODES } from '../llm/client';
import { callPages, chunked } from '../store/paging';

/** The output mode of a model's batch lines; collectBatch reads answers back the same way. */
export function batchMode(deps: ActivityDeps, model: string) {
  return (deps.outputModes ?? PROCESS_OUTPUT_MODES).batchModeFor(model);
}

const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

export function makeBatchSupported(deps: ActivityDeps) {
  /**
   * Whether the provider has the Batch API, asked once per run before the route is chosen, so
   * a server without it (llama.cpp, vLLM, Ollama answer 404) is scored synchronously without
   * a failed upload first. Both endpoints are asked: a batch needs its input file uploaded.
   * A transient failure is retried; if it persists the run goes sync rather than fail.
   */
  return async function batchSupported(): Promise<boolean> {
    const probes = await Promise.allSettled([
      deps.openai.batches.list({ limit: 1 }),
      deps.openai.files.list({ limit: 1 }),
    ]);
    const failures = probes.flatMap((p) => (p.status === 'rejected' ? [p.reason as unknown] : []));
    if (failures.length === 0) return true;
    const absent = failures.find(isAbsentEndpoint);
    const attempt = Context.current().info.attempt;
    // Up to 8 attempts (about a minute of backoff): a flaky provider still gets its half price.
    if (!absent && attempt < 8) throw failures[0];
    deps.logger.info(
      { event: 'batch_api_probe', err: String((absent ?? failures[0]) as Error), attempt },
      absent
        ? 'provider has no Batch API: the run scores synchronously'
        : 'Batch API probe kept failing: the run scores synchronously',
    );
    return false;
  };
}

/** A definite "not here": the route does not exist, or the server will not serve it. */
function isAbsentEndpoint(err: unknown): boolean {
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

export function makeSubmitBatches(deps: ActivityDeps) {
  /**
   * Builds JSONL for the unfinished listings of a seq range (one file per model, split at the
   * API's caps), uploads it and creates the batches. The worst-case cost at batch prices is
   * reserved first, like a synchronous call's. Idempotent across retries: each batch carries
   * a deterministic key in its metadata, and a key the provider already has is reused.
   */
  return async function submitBatches(input: {
    runId: string;
    fromSeq: number;
    toSeq: number;
    round: number;
    /**
     * An escalation round: only listings whose answer in this run is a valid small-model one
     * below this confidence, each sent to the large model.
     */
    escalateBelow?: number;
  }): Promise<BatchRef[]> {
    const run = await requireRun(deps, input.runId, 'submit batches for');
    const items = await deps.store.unfinishedItems(input.runId, input.fromSeq, input.toSeq);
    const byModel = new Map<string, { lines: string[]; worstPico: number }>();
    const task = taskFeatures(run.criteria);
    // A chunk of plan rows at a time: one read for their listings (and, in an escalation
    // round, one for their answers so far) instead of one per row.
    for (const chunk of chunked(items)) {
      const ids = chunk.map((item) => item.listingId);
      const planned = await deps.store.getPlannedListings(input.runId, ids);
      const escalating =
        input.escalateBelow === undefined
          ? undefined
          : await needingEscalation(deps, input.runId, ids, input.escalateBelow);
      for (const item of chunk) {
        const listing = planned.get(item.listingId)?.listing;
        if (!listing) continue;
        // The route planning stored; a row planned before routes were stored is routed the same way.
        let model = (item.route ?? routeOf(deps, task, listing)).model;
        if (escalating) {
          if (!escalating.has(item.listingId)) continue;
          model = deps.routing.models.large;
        }
        const request = buildScoringRequest(model, run.criteria, listing);
        const group = byModel.get(model) ?? { lines: [], worstPico: 0 };
        group.lines.push(batchLine(item.listingId, input.round, request, batchMode(deps, model)));
        group.worstPico += deps.prices.costPico(model, worstCaseUsage(request), 'batch');
        byModel.set(model, group);
      }
    }
    const existing = await recentBatchesByKey(deps);
    const refs: BatchRef[] = [];
    for (const [model, group] of byModel) {
      const files = splitIntoFiles(group.lines);
      for (const [part, lines] of files.entries()) {
        const key = `${input.runId}/${input.fromSeq}-${input.toSeq}/${model}/${part}/r${input.round}`;
        const worstPico = Math.ceil((group.worstPico * lines.length) / group.lines.length);
        const known = existing.get(key);
        if (known) {
          refs.push({ batchId: known, model, lines: lines.length, reservedPico: worstPico, key });
          continue;
        }
        const reserved = await deps.store.reserveBudget(budgetScopes(input.runId, run.runDate), worstPico);
        // No room: leave these listings to the synchronous pass, which waits for budget.
        if (!reserved.ok) continue;
        const file = await deps.openai.files.create({
          file: await toFile(
            Buffer.from(`${lines.join('\n')}\n`),
            `${key.replace(/[^A-Za-z0-9.-]/g, '_')}.jsonl`,
          ),
          purpose: 'batch',
        });
        const batch = await deps.openai.batches.create({
          input_file_id: file.id,
          endpoint: BATCH_ENDPOINT,
          completion_window: '24h',
          metadata: { scoreline_key: key, run_id: input.runId },
        });
        refs.push({ batchId: batch.id, model, lines: lines.length, reservedPico: worstPico, key });
        Context.current().heartbeat({ submitted: refs.length });
      }
    }
    deps.logger.info(
      {
        event: 'batches_submitted',
        runId: input.runId,
        batches: refs.length,
        lines: refs.reduce((s, r) => s + r.lines, 0),
      },
      'batches submitted',
    );
    return refs;
  };
}

/**
 * The run a batch step works for. A run the store does not know will not appear on a retry,
 * so its absence fails the step at once, by name, instead of after every attempt.
 */
export async function requireRun(deps: ActivityDeps, runId: string, doing: string): Promise<RunRecord> {
  const run = await deps.store.getRun(runId);
  if (!run) {
    throw ApplicationFailure.nonRetryable(
      `cannot ${doing} run ${runId}: the store has no such run (was it planned against another database?)`,
      PipelineErrorType.RunNotFound,
    );
  }
  return run;
}

/**
 * Of `listingIds`, those with a valid small-model answer in this run below the threshold and
 * no large-model answer yet: their successful calls read in one paged query.
 */
async function needingEscalation(
  deps: ActivityDeps,
  runId: string,
  listingIds: string[],
  escalateBelow: number,
): Promise<Set<string>> {
  const low = new Set<string>();
  // Already asked of the large model: the cascade has run for this listing.
  const escalated = new Set<string>();
  for await (const page of callPages(deps.store, { runId, listingIds, status: 'ok' }))
    for (const c of page) {
      if (c.model === deps.routing.models.large) escalated.add(c.listingId);
      if (
        mayEscalate(c.model, deps.routing.models) &&
        c.validation === 'valid' &&
        c.confidence !== null &&
        belowEscalation(c.confidence, escalateBelow)
      )
        low.add(c.listingId);
    }
  for (const id of escalated) low.delete(id);
  return low;
}

/** The provider's recent batches by our key: how a retried submit finds what it already created. */
async function recentBatchesByKey(deps: ActivityDeps): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const page = await deps.openai.batches.list({ limit: 100 });
  for (const b of page.data) {
    const key = b.metadata?.scoreline_key;
    if (key && b.status !== 'failed' && b.status !== 'cancelled' && b.status !== 'expired')
      found.set(key, b.id);
  }
  return found;
}

export function makePollBatches(deps: ActivityDeps) {
  /** One cheap look at every open batch; the workflow waits between looks on a durable timer. */
  return async function pollBatches(input: { batchIds: string[] }): Promise<BatchStatus[]> {
    return Promise.all(
      input.batchIds.map(async (id) => {
        const b = await deps.openai.batches.retrieve(id);
        return {
          batchId: id,
          status: b.status,
          terminal: TERMINAL.has(b.status),
          total: b.request_counts?.total ?? 0,
          completed: b.request_counts?.completed ?? 0,
          failed: b.request_counts?.failed ?? 0,
        };
      }),
    );
  };
}

export function makeCancelBatches(deps: ActivityDeps) {
  /** Past the cutoff, or when the run is cancelled: what the batches have not done goes synchronous. */
  return async function cancelBatches(input: { batchIds: string[] }): Promise<void> {
    for (const id of input.batchIds) {
      try {
        await deps.openai.batches.cancel(id);
      } catch (err) {
        // A batch that finished meanwhile cannot be cancelled (409): nothing to do.
        deps.logger.info({ batchId: id, err: (err as Error).message }, 'batch not cancelled');
      }
    }
  };
}
