import { toFile } from 'openai';
import type { ActivityDeps } from '../activities/deps';
import type { Listing } from '../feed/listing';
import { recordCallSpan } from '../observability/tracing';
import type { EmbeddingKey } from '../store/dedup-store';
import { embeddingItem, embeddingWorstCasePico, storedItem } from './embedding-text';
import { budgetScopes, picoToUsd } from '../shared/money';

/** OpenAI's cap on requests per batch file. */
const BATCH_LINES = 50_000;
const ENDPOINT = '/v1/embeddings';

/**
 * The Batch API route for embeddings (half price): one request per distinct text the cache
 * lacks, custom_id = its text hash, in files of at most 50,000 lines. Every batch is recorded
 * as 'submitted' the moment it exists, so a retried submit finds it and never sends a second.
 * Each file first reserves its worst case at batch prices (a token is at least a byte) against
 * the run's and the day's budgets, like every paid call; without room the rest is not sent, and
 * the synchronous step after embeds what it can afford.
 */
export async function submitEmbeddingBatches(
  deps: ActivityDeps,
  job: {
    runId: string;
    workflowId: string;
    key: EmbeddingKey;
    listings: Array<{ seq: number; listing: Listing }>;
  },
): Promise<string[]> {
  const known = await deps.store.dedup.embeddingBatches(job.runId);
  if (known.length > 0) return [...new Set(known.map((b) => b.batchId))];
  const items = job.listings.map(({ seq, listing }) => embeddingItem(seq, listing));
  await deps.store.dedup.addItems(job.runId, items.map(storedItem));
  const cached = await deps.store.dedup.findEmbeddings(
    job.key,
    items.map((i) => i.textHash),
  );
  const missing = new Map<string, string>();
  for (const i of items) if (!cached.has(i.textHash)) missing.set(i.textHash, i.text);
  const lines = [...missing].map(([hash, text]) =>
    JSON.stringify({
      custom_id: hash,
      method: 'POST',
      url: ENDPOINT,
      // Floats: a batch output line is plain JSON, which the SDK does not decode for us.
      body: { model: job.key.model, input: text, dimensions: job.key.dimensions, encoding_format: 'float' },
    }),
  );
  const texts = [...missing.values()];
  const run = await deps.store.getRun(job.runId);
  const scopes = run ? budgetScopes(job.runId, run.runDate) : [];
  const ids: string[] = [];
  for (let at = 0; at < lines.length; at += BATCH_LINES) {
    const part = lines.slice(at, at + BATCH_LINES);
    const worstPico = embeddingWorstCasePico(
      deps.prices,
      job.key.model,
      texts.slice(at, at + BATCH_LINES),
      'batch',
    );
    const reserved = await deps.store.reserveBudget(scopes, worstPico);
    if (!reserved.ok) {
      deps.logger.warn(
        { event: 'embedding_over_budget', runId: job.runId, scope: reserved.scope, texts: texts.length - at },
        `budget ${reserved.scope} has no room for an embedding batch: the rest is left to the synchronous step`,
      );
      break;
    }
    const file = await deps.openai.files.create({
      file: await toFile(
        Buffer.from(`${part.join('\n')}\n`),
        `embeddings-${job.runId.replace(/[^A-Za-z0-9.-]/g, '_')}-${at}.jsonl`,
      ),
      purpose: 'batch',
    });
    const batch = await deps.openai.batches.create({
      input_file_id: file.id,
      endpoint: ENDPOINT,
      completion_window: '24h',
      metadata: { run_id: job.runId, scoreline: 'embeddings' },
    });
    await deps.store.dedup.recordEmbeddingCall({
      runId: job.runId,
      workflowId: job.workflowId,
      model: job.key.model,
      route: 'batch',
      startedAt: new Date().toISOString(),
      durationMs: 0,
      inputs: part.length,
      promptTokens: 0,
      // The reservation, settled when the batch is collected (see EmbeddingBatchRow).
      costPico: worstPico,
      status: 'submitted',
      errorType: null,
      errorMessage: null,
      batchId: batch.id,
    });
    ids.push(batch.id);
  }
  return ids;
}

const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

/** True once every batch has ended, whichever way. */
export async function embeddingBatchesEnded(deps: ActivityDeps, batchIds: string[]): Promise<boolean> {
  for (const id of batchIds) if (!TERMINAL.has((await deps.openai.batches.retrieve(id)).status)) return false;
  return true;
}

interface OutputLine {
  custom_id: string;
  response: {
    status_code: number;
    body: { data?: Array<{ embedding: number[] }>; usage?: { prompt_tokens: number } };
  };
}

/**
 * Caches the vectors of ended batches and books each batch once (its tokens at the batch
 * price, with its id). Lines that failed or never ran are left to the synchronous step after,
 * which embeds only what the cache still lacks.
 */
export async function collectEmbeddingBatches(
  deps: ActivityDeps,
  job: { runId: string; workflowId: string; key: EmbeddingKey; batchIds: string[] },
): Promise<{ embedded: number; promptTokens: number; costPico: number }> {
  const ledger = await deps.store.dedup.embeddingBatches(job.runId);
  const booked = new Set(ledger.filter((b) => b.status === 'ok').map((b) => b.batchId));
  const reservedPico = new Map(
    ledger.filter((b) => b.status === 'submitted').map((b) => [b.batchId, b.costPico]),
  );
  const run = await deps.store.getRun(job.runId);
  const scopes = run ? budgetScopes(job.runId, run.runDate) : [];
  const total = { embedded: 0, promptTokens: 0, costPico: 0 };
  for (const id of job.batchIds) {
    if (booked.has(id)) continue;
    const started = Date.now();
    const b = await deps.openai.batches.retrieve(id);
    const text = b.output_file_id ? await (await deps.openai.files.content(b.output_file_id)).text() : '';
    const rows: Array<{ textHash: string; vector: Float32Array }> = [];
    let promptTokens = 0;
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      const line = JSON.parse(raw) as OutputLine;
      const vector = line.response.status_code === 200 ? line.response.body.data?.[0]?.embedding : undefined;
      if (!vector) continue;
      promptTokens += line.response.body.usage?.prompt_tokens ?? 0;
      const v = Float32Array.from(vector);
      let sum = 0;
      for (const x of v) sum += x * x;
      const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
      rows.push({ textHash: line.custom_id, vector: v.map((x) => x * scale) });
    }
    const costPico = deps.prices.costPico(
      job.key.model,
      { promptTokens, cachedTokens: 0, completionTokens: 0 },
      'batch',
    );
    // Booked before the vectors are kept, like every call: a crash in between re-reads the file, never re-pays.
    await deps.store.dedup.recordEmbeddingCall({
      runId: job.runId,
      workflowId: job.workflowId,
      model: job.key.model,
      route: 'batch',
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      inputs: rows.length,
      promptTokens,
      costPico,
      status: 'ok',
      errorType: null,
      errorMessage: null,
      batchId: id,
    });
    await deps.store.dedup.saveEmbeddings(job.key, rows);
    // After the booking: a crash in between leaves the reservation held (the budget looks more
    // spent than it is, never less), and the retry skips the booked batch.
    await deps.store.settleBudget(scopes, reservedPico.get(id) ?? 0, costPico);
    recordCallSpan({
      name: 'embedding_call',
      model: job.key.model,
      route: 'batch',
      startedAt: new Date(started),
      durationMs: Date.now() - started,
      promptTokens,
      costUsd: picoToUsd(costPico),
      attributes: { 'scoreline.run_id': job.runId, 'scoreline.batch_id': id },
    });
    deps.logger.info(
      {
        event: 'embedding_call',
        runId: job.runId,
        model: job.key.model,
        route: 'batch',
        batchId: id,
        inputs: rows.length,
        promptTokens,
        costUsd: picoToUsd(costPico),
      },
      'embedding batch collected',
    );
    total.embedded += rows.length;
    total.promptTokens += promptTokens;
    total.costPico += costPico;
  }
  return total;
}
