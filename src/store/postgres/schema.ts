import { TOKEN_BUCKET_MIGRATION_ID, TOKEN_BUCKET_POSTGRES } from '../token-bucket';
/**
 * Schema migrations for the PostgreSQL store, applied in order by `PostgresStore.migrate()` and
 * recorded in `schema_migrations`. Tables are unqualified: the store pins `search_path` to its
 * schema on every connection, so the same SQL serves `public` and a per-test schema.
 *
 * The shape mirrors `sqlite/schema.ts` column for column, so both stores return identical
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
import { dedupMigration } from '../dedup-store';

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
-- The route is decided once, at planning, and kept on the plan row (see sqlite/schema.ts).
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
