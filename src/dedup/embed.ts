import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../activities/deps';
import type { Listing } from '../feed/listing';
import { classifyLlmError } from '../scoring/errors';
import { recordCallSpan } from '../observability/tracing';
import type { EmbedRangeResult } from '../shared/dedup';
import type { EmbeddingKey } from '../store/dedup-store';
import { embeddingItem, embeddingWorstCasePico, storedItem } from './embedding-text';
import { budgetScopes, picoToUsd } from '../shared/money';

/** Inputs per embeddings request: far under OpenAI's 2,048 and 300,000-token caps for listings. */
export const EMBED_REQUEST_INPUTS = 128;

export interface EmbedJob {
  runId: string;
  workflowId: string;
  key: EmbeddingKey;
  listings: Array<{ seq: number; listing: Listing }>;
  signal?: AbortSignal;
  heartbeat?: () => void;
}

/** A vector of the provider's, unit length: cosine then is a dot product, whatever the model returns. */
function normalised(v: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(v);
  let sum = 0;
  for (const x of out) sum += x * x;
  const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * scale;
  return out;
}

/**
 * Embeds what the cache lacks, one request per EMBED_REQUEST_INPUTS distinct texts, records
 * every request on the embedding ledger (before the vectors are kept, so no paid call goes
 * unrecorded), caches the vectors, and writes the listings' guard blocks.
 */
export async function embedListings(deps: ActivityDeps, job: EmbedJob): Promise<EmbedRangeResult> {
  const items = job.listings.map(({ seq, listing }) => embeddingItem(seq, listing));
  const cached = await deps.store.dedup.findEmbeddings(
    job.key,
    items.map((i) => i.textHash),
  );
  const missing = new Map<string, string>();
  for (const i of items) if (!cached.has(i.textHash)) missing.set(i.textHash, i.text);
  const todo = [...missing];
  const result: EmbedRangeResult = {
    listings: items.length,
    embedded: 0,
    cached: items.length,
    calls: 0,
    promptTokens: 0,
    costPico: 0,
  };
  // Embeddings are paid like any call, so they reserve their worst case (a token is at least
  // a byte) against the run's and the day's budgets first. Without room the rest is simply
  // not embedded: those listings are scored on their own, where the budget gate applies too.
  const run = await deps.store.getRun(job.runId);
  const scopes = run ? budgetScopes(job.runId, run.runDate) : [];
  const embeddedHashes = new Set(cached.keys());
  for (let at = 0; at < todo.length; at += EMBED_REQUEST_INPUTS) {
    const part = todo.slice(at, at + EMBED_REQUEST_INPUTS);
    const worstPico = embeddingWorstCasePico(
      deps.prices,
      job.key.model,
      part.map(([, text]) => text),
      'sync',
    );
    const reserved = await deps.store.reserveBudget(scopes, worstPico);
    if (!reserved.ok) {
      deps.logger.warn(
        { event: 'embedding_over_budget', runId: job.runId, scope: reserved.scope, texts: todo.length - at },
        `budget ${reserved.scope} has no room for embeddings: the rest of this range is scored without dedup`,
      );
      break;
    }
    const startedAt = new Date();
    const base = {
      runId: job.runId,
      workflowId: job.workflowId,
      model: job.key.model,
      route: 'sync' as const,
      startedAt: startedAt.toISOString(),
      inputs: part.length,
      batchId: null,
    };
    let response;
    try {
      response = await deps.openai.embeddings.create(
        { model: job.key.model, input: part.map(([, text]) => text), dimensions: job.key.dimensions },
        { signal: job.signal },
      );
    } catch (err) {
      await deps.store.settleBudget(scopes, worstPico, 0);
      const c = classifyLlmError(err);
      await deps.store.dedup.recordEmbeddingCall({
        ...base,
        durationMs: Date.now() - startedAt.getTime(),
        promptTokens: 0,
        costPico: 0,
        status: 'error',
        errorType: c.type,
        errorMessage: c.message,
      });
      deps.logger.warn(
        { event: 'embedding_call', runId: job.runId, model: job.key.model, error: c.type },
        c.message,
      );
      // Temporal retries the activity (a 4xx is final); what this attempt cached is not paid again.
      throw ApplicationFailure.create({
        message: c.message,
        type: c.type,
        nonRetryable: !c.retryable,
        cause: err as Error,
      });
    }
    const promptTokens = response.usage.prompt_tokens;
    const costPico = deps.prices.costPico(job.key.model, {
      promptTokens,
      cachedTokens: 0,
      completionTokens: 0,
    });
    await deps.store.settleBudget(scopes, worstPico, costPico);
    const durationMs = Date.now() - startedAt.getTime();
    await deps.store.dedup.recordEmbeddingCall({
      ...base,
      durationMs,
      promptTokens,
      costPico,
      status: 'ok',
      errorType: null,
      errorMessage: null,
    });
    deps.logger.info(
      {
        event: 'embedding_call',
        runId: job.runId,
        model: job.key.model,
        route: 'sync',
        inputs: part.length,
        promptTokens,
        costUsd: picoToUsd(costPico),
        durationMs,
      },
      'embedding call',
    );
    recordCallSpan({
      name: 'embedding_call',
      model: job.key.model,
      route: 'sync',
      startedAt,
      durationMs,
      promptTokens,
      costUsd: picoToUsd(costPico),
      attributes: { 'scoreline.run_id': job.runId, 'scoreline.inputs': part.length },
    });
    await deps.store.dedup.saveEmbeddings(
      job.key,
      response.data.map((d) => ({
        textHash: (part[d.index] as [string, string])[0],
        vector: normalised(d.embedding),
      })),
    );
    for (const [hash] of part) embeddedHashes.add(hash);
    result.calls++;
    result.embedded += part.length;
    result.promptTokens += promptTokens;
    result.costPico += costPico;
    job.heartbeat?.();
  }
  const kept = items.filter((i) => embeddedHashes.has(i.textHash));
  result.cached = kept.length - result.embedded;
  if (kept.length < items.length) result.overBudget = items.length - kept.length;
  await deps.store.dedup.addItems(job.runId, kept.map(storedItem));
  return result;
}
