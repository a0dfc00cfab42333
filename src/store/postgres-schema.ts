import { TOKEN_BUCKET_MIGRATION_ID, TOKEN_BUCKET_POSTGRES } from './token-bucket';
/**
 * Schema migrations for the PostgreSQL store, applied in order by `PostgresStore.migrate()` and
 * recorded in `schema_migrations`. Tables are unqualified: the store pins `search_path` to its
 * schema on every connection, so the same SQL serves `public` and a per-test schema.
 *
 * The shape mirrors `sqlite-schema.ts` column for column, so both stores return identical
 * records. Where PostgreSQL needs a choice SQLite does not, the choice is made for parity:
 * - Ids and listing ids are `COLLATE "C"`: SQLite compares text byte-wise, and the ORDER BYs
 *   (scores by listing id, totals by model) must not change with the database's locale.
 * - Timestamps are `timestamptz`; the store renders them back as `toISOString()` strings.
 * - `confidence` is `double precision`, not `real`: float4 would turn 0.8 into 0.800000011920929.
 * - `cost_pico` and ids are `bigint`; the store parses them to numbers (and refuses unsafe ones).
 * - `data_json` is `json`, not `jsonb`: json keeps the text (and its key order) exactly as
 *   written, which is what SQLite hands back.
 * - No CHECK or foreign key beyond SQLite's: a write SQLite accepts must be accepted here.
 */
import { DEDUP_SQL, dedupMigration } from './dedup-store';
import { UNPUBLISHED_STATUSES } from './store';

export const POSTGRES_MIGRATIONS: ReadonlyArray<{ id: number; sql: string }> = [
  {
    id: 1,
    sql: `
CREATE TABLE runs (
  run_id TEXT COLLATE "C" PRIMARY KEY,
  run_date DATE NOT NULL,
  feed_path TEXT NOT NULL,
  criteria TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ,
  summary_json TEXT
);
-- One row per listing version: the same id with new content is a new row, so every run's
-- plan still points at exactly what was scored.
CREATE TABLE listing_versions (
  listing_id TEXT COLLATE "C" NOT NULL,
  content_hash TEXT COLLATE "C" NOT NULL,
  data_json JSON NOT NULL,
  first_seen_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (listing_id, content_hash)
);
CREATE TABLE run_items (
  run_id TEXT COLLATE "C" NOT NULL,
  seq INTEGER NOT NULL,
  listing_id TEXT COLLATE "C" NOT NULL,
  content_hash TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE UNIQUE INDEX run_items_listing ON run_items (run_id, listing_id);
CREATE TABLE rejected_lines (
  run_id TEXT COLLATE "C" NOT NULL,
  line INTEGER NOT NULL,
  listing_id TEXT COLLATE "C",
  reason TEXT NOT NULL,
  PRIMARY KEY (run_id, line)
);
CREATE TABLE llm_calls (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id TEXT COLLATE "C" NOT NULL,
  listing_id TEXT COLLATE "C" NOT NULL,
  workflow_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  model TEXT COLLATE "C" NOT NULL,
  route TEXT NOT NULL,
  prompt_hash TEXT COLLATE "C" NOT NULL,
  prompt_version TEXT NOT NULL,
  schema_version TEXT NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  duration_ms INTEGER NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  cached_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  cost_pico BIGINT NOT NULL,
  status TEXT NOT NULL,
  error_type TEXT,
  error_message TEXT,
  finish_reason TEXT,
  tool_arguments TEXT,
  refusal TEXT,
  validation TEXT NOT NULL DEFAULT 'pending',
  validation_error TEXT,
  score INTEGER,
  confidence DOUBLE PRECISION,
  reasoning TEXT
);
CREATE INDEX llm_calls_listing ON llm_calls (listing_id, started_at);
CREATE INDEX llm_calls_run ON llm_calls (run_id, listing_id, prompt_hash, status);
CREATE INDEX llm_calls_hash ON llm_calls (prompt_hash);
CREATE TABLE scores (
  run_id TEXT COLLATE "C" NOT NULL,
  listing_id TEXT COLLATE "C" NOT NULL,
  call_id BIGINT NOT NULL REFERENCES llm_calls (id),
  model TEXT COLLATE "C" NOT NULL,
  score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
  confidence DOUBLE PRECISION NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  reasoning TEXT NOT NULL CHECK (length(reasoning) <= 200),
  content_hash TEXT COLLATE "C" NOT NULL,
  prompt_version TEXT NOT NULL,
  schema_version TEXT NOT NULL,
  scored_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (run_id, listing_id)
);
-- listScores reads a run's scores best first; without this it sorts the whole run per page.
CREATE INDEX scores_ranked ON scores (run_id, score DESC, listing_id);
CREATE TABLE dead_letters (
  run_id TEXT COLLATE "C" NOT NULL,
  listing_id TEXT COLLATE "C" NOT NULL,
  reason TEXT NOT NULL,
  error_type TEXT NOT NULL,
  last_error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  model TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  note TEXT,
  PRIMARY KEY (run_id, listing_id)
);
`,
  },
  {
    id: 2,
    sql: `
-- Where a score came from: a call made for this run, or a valid answer to the identical
-- prompt reused from an earlier run (the cache).
ALTER TABLE scores ADD COLUMN source TEXT NOT NULL DEFAULT 'llm';
CREATE INDEX llm_calls_cache ON llm_calls (prompt_hash, validation);
-- Spend limits. A scope is 'run:<runId>' or 'day:<YYYY-MM-DD>'; a scope without a row is
-- unlimited. reserved holds the worst case of calls in flight, spent the settled actuals.
CREATE TABLE budgets (
  scope TEXT COLLATE "C" PRIMARY KEY,
  limit_pico BIGINT NOT NULL,
  reserved_pico BIGINT NOT NULL DEFAULT 0,
  spent_pico BIGINT NOT NULL DEFAULT 0
);
`,
  },
  {
    id: 3,
    sql: `
-- Calls answered through the Batch API carry their batch, so a batch is validated and
-- persisted as a unit.
ALTER TABLE llm_calls ADD COLUMN batch_id TEXT;
CREATE INDEX llm_calls_batch ON llm_calls (batch_id);
`,
  },
  {
    id: 4,
    sql: `
-- The route is decided once, at planning, and kept on the plan row (see sqlite-schema.ts).
ALTER TABLE run_items ADD COLUMN route_model TEXT;
ALTER TABLE run_items ADD COLUMN escalation_model TEXT;
ALTER TABLE run_items ADD COLUMN fallbacks_json TEXT;
`,
  },
  {
    id: 5,
    sql: dedupMigration('BYTEA', 'BIGSERIAL PRIMARY KEY', 'TEXT COLLATE "C"'),
  },
  { id: TOKEN_BUCKET_MIGRATION_ID, sql: TOKEN_BUCKET_POSTGRES },
];

/** Applied-migration bookkeeping; created before any migration runs. */
export const SCHEMA_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  id INTEGER PRIMARY KEY,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`;

/**
 * Read projections, aliased to the record's field names in the record's field order, so a row
 * is the record (and `JSON.stringify` prints it exactly as it prints SQLite's).
 */
const UNPUBLISHED = UNPUBLISHED_STATUSES.map((s) => `'${s}'`).join(', ');

export const RUN_COLUMNS = `run_id AS "runId", run_date AS "runDate", feed_path AS "feedPath", criteria, status,
  started_at AS "startedAt", finished_at AS "finishedAt", summary_json AS "summaryJson"`;

export const CALL_COLUMNS = `id, run_id AS "runId", listing_id AS "listingId", workflow_id AS "workflowId", attempt,
  model, route, prompt_hash AS "promptHash", prompt_version AS "promptVersion", schema_version AS "schemaVersion",
  started_at AS "startedAt", duration_ms AS "durationMs", prompt_tokens AS "promptTokens",
  cached_tokens AS "cachedTokens", completion_tokens AS "completionTokens", cost_pico AS "costPico", status,
  error_type AS "errorType", error_message AS "errorMessage", finish_reason AS "finishReason",
  tool_arguments AS "toolArguments", refusal, batch_id AS "batchId", validation,
  validation_error AS "validationError", score, confidence, reasoning`;

/** The store's statements, kept here so `postgres.ts` reads as behaviour rather than SQL. */
export const SQL = {
  getRun: `SELECT ${RUN_COLUMNS} FROM runs WHERE run_id = $1`,

  upsertRun: `INSERT INTO runs (run_id, run_date, feed_path, criteria, status, started_at)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (run_id) DO UPDATE SET feed_path = excluded.feed_path, criteria = excluded.criteria`,

  finishRun: 'UPDATE runs SET status = $1, summary_json = $2, finished_at = $3 WHERE run_id = $4',

  insertVersions: `INSERT INTO listing_versions (listing_id, content_hash, data_json, first_seen_at)
    SELECT v.listing_id, v.content_hash, v.data_json, $4
    FROM unnest($1::text[], $2::text[], $3::json[]) AS v (listing_id, content_hash, data_json)
    ON CONFLICT DO NOTHING`,

  upsertRunItems: `INSERT INTO run_items (run_id, seq, listing_id, content_hash, route_model, escalation_model,
      fallbacks_json)
    SELECT $1, i.seq, i.listing_id, i.content_hash, i.route_model, i.escalation_model, i.fallbacks_json
    FROM unnest($2::integer[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
      AS i (seq, listing_id, content_hash, route_model, escalation_model, fallbacks_json)
    ON CONFLICT (run_id, seq) DO UPDATE SET listing_id = excluded.listing_id, content_hash = excluded.content_hash,
      route_model = excluded.route_model, escalation_model = excluded.escalation_model,
      fallbacks_json = excluded.fallbacks_json`,

  setPlanRoutes: `UPDATE run_items SET route_model = r.route_model, escalation_model = r.escalation_model,
      fallbacks_json = r.fallbacks_json
    FROM unnest($2::integer[], $3::text[], $4::text[], $5::text[])
      AS r (seq, route_model, escalation_model, fallbacks_json)
    WHERE run_items.run_id = $1 AND run_items.seq = r.seq`,

  unroutedListings: `SELECT i.seq, v.data_json AS listing FROM run_items i
    JOIN listing_versions v ON v.listing_id = i.listing_id AND v.content_hash = i.content_hash
    WHERE i.run_id = $1 AND i.seq >= $2 AND i.seq < $3 AND i.route_model IS NULL ORDER BY i.seq`,

  insertRejected: `INSERT INTO rejected_lines (run_id, line, listing_id, reason)
    SELECT $1, r.line, r.listing_id, r.reason
    FROM unnest($2::integer[], $3::text[], $4::text[]) AS r (line, listing_id, reason)
    ON CONFLICT DO NOTHING`,

  planItems: `SELECT seq, listing_id AS "listingId" FROM run_items
    WHERE run_id = $1 AND seq >= $2 AND seq < $3 ORDER BY seq`,

  unfinishedItems: `SELECT i.seq, i.listing_id AS "listingId", i.route_model AS "routeModel",
      i.escalation_model AS "escalationModel", i.fallbacks_json AS "fallbacksJson" FROM run_items i
    WHERE i.run_id = $1 AND i.seq >= $2 AND i.seq < $3
      AND NOT EXISTS (SELECT 1 FROM scores s WHERE s.run_id = i.run_id AND s.listing_id = i.listing_id)
      AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.run_id = i.run_id AND d.listing_id = i.listing_id)
      AND ${DEDUP_SQL.notNearDuplicate}
    ORDER BY i.seq`,

  plannedListing: `SELECT v.data_json AS listing, v.content_hash AS "contentHash" FROM run_items i
    JOIN listing_versions v ON v.listing_id = i.listing_id AND v.content_hash = i.content_hash
    WHERE i.run_id = $1 AND i.listing_id = $2`,

  insertCall: `INSERT INTO llm_calls (run_id, listing_id, workflow_id, attempt, model, route, prompt_hash,
      prompt_version, schema_version, started_at, duration_ms, prompt_tokens, cached_tokens, completion_tokens,
      cost_pico, status, error_type, error_message, finish_reason, tool_arguments, refusal, batch_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
    RETURNING id`,

  getCall: `SELECT ${CALL_COLUMNS} FROM llm_calls WHERE id = $1`,

  reusableCall: `SELECT ${CALL_COLUMNS} FROM llm_calls
    WHERE run_id = $1 AND listing_id = $2 AND prompt_hash = $3 AND status = 'ok' ORDER BY id LIMIT 1`,

  // Filters are built by the store; the limit is always the last parameter.
  listCalls: (where: string, limitParam: number) =>
    `SELECT ${CALL_COLUMNS} FROM llm_calls ${where} ORDER BY id LIMIT $${limitParam}`,

  markValid: `UPDATE llm_calls SET validation = 'valid', validation_error = NULL, score = $1, confidence = $2,
    reasoning = $3 WHERE id = $4`,

  markInvalid: `UPDATE llm_calls SET validation = 'invalid', validation_error = $1 WHERE id = $2`,

  persistScore: `INSERT INTO scores (run_id, listing_id, call_id, model, score, confidence, reasoning, content_hash,
      prompt_version, schema_version, scored_at)
    SELECT c.run_id, c.listing_id, c.id, c.model, c.score, c.confidence, c.reasoning, i.content_hash,
      c.prompt_version, c.schema_version, $1
    FROM llm_calls c JOIN run_items i ON i.run_id = c.run_id AND i.listing_id = c.listing_id
    WHERE c.id = $2 AND c.run_id = $3 AND c.listing_id = $4 AND c.validation = 'valid'
    ON CONFLICT (run_id, listing_id) DO UPDATE SET call_id = excluded.call_id, model = excluded.model,
      score = excluded.score, confidence = excluded.confidence, reasoning = excluded.reasoning,
      content_hash = excluded.content_hash, prompt_version = excluded.prompt_version,
      schema_version = excluded.schema_version, scored_at = excluded.scored_at`,

  // The answer kept for each prompt (the score's call: the large model's after an escalation).
  validCalls: `SELECT DISTINCT ON (c.prompt_hash) c.prompt_hash AS "promptHash", s.call_id AS id
    FROM llm_calls c
    JOIN scores s ON s.run_id = c.run_id AND s.listing_id = c.listing_id AND s.source = 'llm'
    WHERE c.prompt_hash = ANY($1::text[]) AND c.validation = 'valid' AND c.status = 'ok'
      AND c.run_id IS DISTINCT FROM $2::text
      AND c.run_id NOT IN (SELECT run_id FROM runs WHERE status IN (${UNPUBLISHED}))
    ORDER BY c.prompt_hash, s.scored_at DESC, s.call_id DESC`,

  // Unlike persistScore, the call may come from any run: it is matched by prompt, not by listing.
  persistCached: `INSERT INTO scores (run_id, listing_id, call_id, model, score, confidence, reasoning,
      content_hash, prompt_version, schema_version, scored_at, source)
    SELECT i.run_id, i.listing_id, c.id, c.model, c.score, c.confidence, c.reasoning, i.content_hash,
      c.prompt_version, c.schema_version, $1, 'cache'
    FROM llm_calls c JOIN run_items i ON i.run_id = $2 AND i.listing_id = $3
    WHERE c.id = $4 AND c.validation = 'valid'
    ON CONFLICT (run_id, listing_id) DO NOTHING`,

  scoreExists: 'SELECT 1 FROM scores WHERE run_id = $1 AND listing_id = $2',

  listScores: `SELECT run_id AS "runId", listing_id AS "listingId", call_id AS "callId", model, score, confidence,
      reasoning, content_hash AS "contentHash", scored_at AS "scoredAt", source
    FROM scores WHERE run_id = $1 ORDER BY score DESC, listing_id LIMIT $2 OFFSET $3`,

  upsertDeadLetter: `INSERT INTO dead_letters (run_id, listing_id, reason, error_type, last_error, attempts, model,
      created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    ON CONFLICT (run_id, listing_id) DO UPDATE SET reason = excluded.reason, error_type = excluded.error_type,
      last_error = excluded.last_error, attempts = excluded.attempts, model = excluded.model, status = 'open'`,

  // Ties on created_at are broken by key: SQLite leaves their order to the query plan.
  listDeadLetters: (where: string) => `SELECT run_id AS "runId", listing_id AS "listingId", reason,
      error_type AS "errorType", last_error AS "lastError", attempts, model, created_at AS "createdAt", status, note
    FROM dead_letters ${where} ORDER BY created_at, run_id, listing_id`,

  runCounts: `SELECT
      (SELECT COUNT(*) FROM run_items WHERE run_id = $1) AS planned,
      (SELECT COUNT(*) FROM scores WHERE run_id = $1 AND source = 'cache') AS cached,
      (SELECT COUNT(*) FROM rejected_lines WHERE run_id = $1) AS rejected,
      (SELECT COUNT(*) FROM scores WHERE run_id = $1) AS scored,
      (SELECT COUNT(*) FROM dead_letters WHERE run_id = $1) AS "deadLettered",
      (SELECT COUNT(*) FROM llm_calls WHERE run_id = $1) AS calls`,

  // SUM(bigint) is numeric in PostgreSQL; cast back so it parses as a number like the rest.
  runCostsByModel: `SELECT model, COUNT(*) AS calls, SUM(prompt_tokens) AS "promptTokens",
      SUM(completion_tokens) AS "completionTokens", SUM(cost_pico)::bigint AS "costPico"
    FROM llm_calls WHERE run_id = $1 GROUP BY model ORDER BY model`,
} as const;

/** Budget statements: see `PostgresStore.reserveBudget` for how they combine. */
export const BUDGET_SQL = {
  setLimit: `INSERT INTO budgets (scope, limit_pico) VALUES ($1, $2)
    ON CONFLICT (scope) DO UPDATE SET limit_pico = excluded.limit_pico`,

  get: `SELECT scope, limit_pico AS "limitPico", reserved_pico AS "reservedPico", spent_pico AS "spentPico"
    FROM budgets WHERE scope = $1`,

  // Row locks in one fixed order (the key's), so writers touching overlapping scopes queue
  // behind each other instead of deadlocking.
  lock: `SELECT scope, limit_pico AS "limitPico", reserved_pico AS "reservedPico", spent_pico AS "spentPico"
    FROM budgets WHERE scope = ANY($1::text[]) ORDER BY scope FOR UPDATE`,

  reserve: `UPDATE budgets SET reserved_pico = reserved_pico + r.amount
    FROM unnest($1::text[], $2::bigint[]) AS r (scope, amount) WHERE budgets.scope = r.scope`,

  // k repeats of SQLite's per-scope MAX(0, reserved - r) step equal one GREATEST(0, reserved - k*r).
  settle: `UPDATE budgets SET reserved_pico = GREATEST(0, reserved_pico - $1 * s.times),
      spent_pico = spent_pico + $2 * s.times
    FROM unnest($3::text[], $4::bigint[]) AS s (scope, times) WHERE budgets.scope = s.scope`,
} as const;
