import type { Listing } from '../feed/listing';
import type { Route } from '../scoring/pricing';

/**
 * The near-duplicate side of the store (see src/dedup): the embedding cache, the embedding call
 * ledger, each run's embedded listings by guard block, and which listing reuses whose answer.
 * Vectors live here and nowhere else: activities pass ids and counts through workflow history.
 */
export interface DedupStore {
  /** The listings of a plan seq range (canaries included; the caller leaves them out). */
  planListings(
    runId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<Array<{ seq: number; listing: Listing }>>;
  /** Cached vectors by text hash for one model and size: what is found is never embedded again. */
  findEmbeddings(key: EmbeddingKey, textHashes: string[]): Promise<Map<string, Float32Array>>;
  /** Idempotent: a vector already cached for the key stays as it is. */
  saveEmbeddings(key: EmbeddingKey, rows: Array<{ textHash: string; vector: Float32Array }>): Promise<void>;
  recordEmbeddingCall(call: NewEmbeddingCall): Promise<void>;
  /** The run's listings that take part, with their guard and text; safe to write again. */
  addItems(runId: string, items: DedupItem[]): Promise<void>;
  /**
   * The run's items with their vectors in guard-key order, starting after `afterKey`: about
   * `limit` rows, always whole blocks, so a caller can cluster page by page at any scale.
   */
  blockPage(runId: string, key: EmbeddingKey, afterKey: string, limit: number): Promise<DedupCandidate[]>;
  /** Listings the model itself scored in earlier published runs, in these guard blocks. */
  earlierLeaders(filter: EarlierLeadersFilter, guardKeys: string[]): Promise<DedupCandidate[]>;
  addNearDuplicates(runId: string, rows: NearDuplicateRecord[]): Promise<void>;
  /**
   * Copies each near-duplicate's representative score as its own (source 'near_duplicate').
   * Idempotent. Returns the near-duplicates whose representative has no score (a dead letter).
   */
  applyNearDuplicates(runId: string): Promise<{ written: number; orphans: NearDuplicateRecord[] }>;
  nearDuplicateOf(runId: string, listingId: string): Promise<NearDuplicateRecord | undefined>;
  listNearDuplicates(runId: string, limit: number): Promise<NearDuplicateRecord[]>;
  /** Every run in which this listing reused another's answer, for `explain`. */
  nearDuplicatesOfListing(listingId: string): Promise<NearDuplicateRecord[]>;
  embeddingUsage(runId: string): Promise<EmbeddingUsage>;
  /** The run's embedding batches as recorded: 'submitted' when sent, 'ok' once collected. */
  embeddingBatches(runId: string): Promise<EmbeddingBatchRow[]>;
}

/**
 * One row of a batch in the embedding ledger. A 'submitted' row's cost is the worst case its
 * submit reserved against the budgets (what it may cost at most, nothing billed yet); the 'ok'
 * row written on collection holds what it did cost, and settles that reservation.
 */
export interface EmbeddingBatchRow {
  batchId: string;
  status: string;
  costPico: number;
}

export interface EmbeddingKey {
  model: string;
  dimensions: number;
}

export interface DedupItem {
  listingId: string;
  seq: number;
  textHash: string;
  guardKey: string;
}

export interface DedupCandidate {
  runId: string;
  listingId: string;
  guardKey: string;
  vector: Float32Array;
}

export interface EarlierLeadersFilter extends EmbeddingKey {
  excludeRunId: string;
  criteria: string;
  promptVersion: string;
  /** Runs dated from `since` to `onOrBefore` (YYYY-MM-DD) count. */
  since: string;
  onOrBefore: string;
}

export interface NearDuplicateRecord {
  runId: string;
  listingId: string;
  leaderRunId: string;
  leaderListingId: string;
  similarity: number;
}

export interface NewEmbeddingCall {
  runId: string;
  workflowId: string;
  model: string;
  route: Route;
  startedAt: string;
  durationMs: number;
  inputs: number;
  promptTokens: number;
  costPico: number;
  /** 'submitted': a batch sent, not yet collected (no tokens, no cost yet). */
  status: 'ok' | 'error' | 'submitted';
  errorType: string | null;
  errorMessage: string | null;
  batchId: string | null;
}

export interface EmbeddingUsage {
  calls: number;
  inputs: number;
  promptTokens: number;
  costPico: number;
  /** Near-duplicates that reused another listing's answer, and of them those from earlier runs. */
  nearDuplicates: number;
  earlierDay: number;
}

export function vectorToBuffer(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function bufferToVector(b: Buffer | Uint8Array): Float32Array {
  // A copy: the driver's buffer may not be 4-byte aligned, which Float32Array requires.
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float32Array(copy.buffer);
}

/** Migration 5, one text for both stores (BLOB is BYTEA on PostgreSQL; see each schema file). */
export function dedupMigration(blob: 'BLOB' | 'BYTEA', serial: string, text: string): string {
  return `
-- The embedding cache: one vector per embedded text, model and size, across runs.
CREATE TABLE embeddings (
  text_hash ${text} NOT NULL,
  model ${text} NOT NULL,
  dimensions INTEGER NOT NULL,
  vector ${blob} NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (text_hash, model, dimensions)
);
-- Every embeddings request, priced, as llm_calls holds every chat call.
CREATE TABLE embedding_calls (
  id ${serial},
  run_id ${text} NOT NULL,
  workflow_id TEXT NOT NULL,
  model TEXT NOT NULL,
  route TEXT NOT NULL,
  started_at TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  inputs INTEGER NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  cost_pico BIGINT NOT NULL,
  status TEXT NOT NULL,
  error_type TEXT,
  error_message TEXT,
  batch_id TEXT
);
CREATE INDEX embedding_calls_run ON embedding_calls (run_id);
-- A run's listings that take part in near-duplicate clustering, by guard block.
CREATE TABLE dedup_items (
  run_id ${text} NOT NULL,
  listing_id ${text} NOT NULL,
  seq INTEGER NOT NULL,
  text_hash ${text} NOT NULL,
  guard_key ${text} NOT NULL,
  PRIMARY KEY (run_id, listing_id)
);
CREATE INDEX dedup_items_block ON dedup_items (run_id, guard_key);
CREATE INDEX dedup_items_guard ON dedup_items (guard_key);
-- A listing scored by reusing its representative's answer (same run or an earlier one).
CREATE TABLE near_duplicates (
  run_id ${text} NOT NULL,
  listing_id ${text} NOT NULL,
  leader_run_id ${text} NOT NULL,
  leader_listing_id ${text} NOT NULL,
  similarity DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (run_id, listing_id)
);
`;
}

/** Statements both stores run as written ($n each used once, in order, for SQLite's `?`). */
export const DEDUP_SQL = {
  planListings: `SELECT i.seq, v.data_json AS listing FROM run_items i
    JOIN listing_versions v ON v.listing_id = i.listing_id AND v.content_hash = i.content_hash
    WHERE i.run_id = $1 AND i.seq >= $2 AND i.seq < $3 ORDER BY i.seq`,
  recordCall: `INSERT INTO embedding_calls (run_id, workflow_id, model, route, started_at, duration_ms, inputs,
      prompt_tokens, cost_pico, status, error_type, error_message, batch_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
  addItem: `INSERT INTO dedup_items (run_id, listing_id, seq, text_hash, guard_key) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (run_id, listing_id) DO NOTHING`,
  saveEmbedding: `INSERT INTO embeddings (text_hash, model, dimensions, vector, created_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (text_hash, model, dimensions) DO NOTHING`,
  pageKeys: `SELECT guard_key AS k, COUNT(*) AS n FROM dedup_items WHERE run_id = $1 AND guard_key > $2
    GROUP BY guard_key ORDER BY guard_key LIMIT $3`,
  blockRows: `SELECT d.run_id AS "runId", d.listing_id AS "listingId", d.guard_key AS "guardKey", e.vector
    FROM dedup_items d JOIN embeddings e ON e.text_hash = d.text_hash AND e.model = $1 AND e.dimensions = $2
    WHERE d.run_id = $3 AND d.guard_key > $4 AND d.guard_key <= $5 ORDER BY d.guard_key, d.seq`,
  addNearDuplicate: `INSERT INTO near_duplicates (run_id, listing_id, leader_run_id, leader_listing_id, similarity)
    VALUES ($1, $2, $3, $4, $5) ON CONFLICT (run_id, listing_id) DO NOTHING`,
  applyNearDuplicates: `INSERT INTO scores (run_id, listing_id, call_id, model, score, confidence, reasoning,
      content_hash, prompt_version, schema_version, scored_at, source)
    SELECT n.run_id, n.listing_id, s.call_id, s.model, s.score, s.confidence, s.reasoning, i.content_hash,
      s.prompt_version, s.schema_version, $1, 'near_duplicate'
    FROM near_duplicates n
    JOIN scores s ON s.run_id = n.leader_run_id AND s.listing_id = n.leader_listing_id
    JOIN run_items i ON i.run_id = n.run_id AND i.listing_id = n.listing_id
    WHERE n.run_id = $2
    ON CONFLICT (run_id, listing_id) DO NOTHING`,
  orphans: `SELECT n.run_id AS "runId", n.listing_id AS "listingId", n.leader_run_id AS "leaderRunId",
      n.leader_listing_id AS "leaderListingId", n.similarity FROM near_duplicates n
    WHERE n.run_id = $1 AND NOT EXISTS (SELECT 1 FROM scores s WHERE s.run_id = n.run_id AND s.listing_id = n.listing_id)
    ORDER BY n.listing_id`,
  nearDuplicateOf: `SELECT run_id AS "runId", listing_id AS "listingId", leader_run_id AS "leaderRunId",
      leader_listing_id AS "leaderListingId", similarity FROM near_duplicates WHERE run_id = $1 AND listing_id = $2`,
  listNearDuplicates: `SELECT run_id AS "runId", listing_id AS "listingId", leader_run_id AS "leaderRunId",
      leader_listing_id AS "leaderListingId", similarity FROM near_duplicates WHERE run_id = $1
    ORDER BY listing_id LIMIT $2`,
  ofListing: `SELECT run_id AS "runId", listing_id AS "listingId", leader_run_id AS "leaderRunId",
      leader_listing_id AS "leaderListingId", similarity FROM near_duplicates WHERE listing_id = $1 ORDER BY run_id`,
  batches: `SELECT batch_id AS "batchId", status, cost_pico AS "costPico" FROM embedding_calls WHERE run_id = $1 AND batch_id IS NOT NULL
    ORDER BY id`,
  usage: `SELECT COUNT(*) AS calls, COALESCE(SUM(inputs), 0) AS inputs, COALESCE(SUM(prompt_tokens), 0) AS "promptTokens",
      COALESCE(SUM(cost_pico), 0) AS "costPico" FROM embedding_calls WHERE run_id = $1 AND status = 'ok'`,
  nearCounts: `SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN leader_run_id <> run_id THEN 1 ELSE 0 END), 0) AS earlier
    FROM near_duplicates WHERE run_id = $1`,
  /** Excludes near-duplicates from a shard's (or the batch pass's) work: they reuse an answer. */
  notNearDuplicate: `NOT EXISTS (SELECT 1 FROM near_duplicates n WHERE n.run_id = i.run_id AND n.listing_id = i.listing_id)`,
} as const;

/** The earlier-leaders query's shared body; the guard-key condition is each store's own. */
export const EARLIER_LEADERS_SELECT = `SELECT d.run_id AS "runId", d.listing_id AS "listingId", d.guard_key AS "guardKey", e.vector
  FROM dedup_items d
  JOIN scores s ON s.run_id = d.run_id AND s.listing_id = d.listing_id AND s.source = 'llm'
  JOIN runs r ON r.run_id = d.run_id
  JOIN embeddings e ON e.text_hash = d.text_hash AND e.model = $1 AND e.dimensions = $2
  WHERE d.run_id <> $3 AND r.criteria = $4 AND s.prompt_version = $5 AND r.run_date >= $6 AND r.run_date <= $7
    AND r.status = 'completed'`;
