import { dedupMigration } from '../dedup-store';

import { TOKEN_BUCKET_MIGRATION_ID, TOKEN_BUCKET_SQLITE } from '../token-bucket';
/**
 * Schema migrations for the embedded SQLite store, applied in order and recorded in
 * `schema_migrations`, so an existing database file is upgraded in place on start.
 */
export const SQLITE_MIGRATIONS: ReadonlyArray<{ id: number; sql: string }> = [
  {
    id: 1,
    sql: `
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  run_date TEXT NOT NULL,
  feed_path TEXT NOT NULL,
  criteria TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  summary_json TEXT
);
-- One row per listing version: the same id with new content is a new row, so every run's
-- plan still points at exactly what was scored.
CREATE TABLE listing_versions (
  listing_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  data_json TEXT NOT NULL,
  first_seen_at TEXT NOT NULL,
  PRIMARY KEY (listing_id, content_hash)
);
CREATE TABLE run_items (
  run_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  listing_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE UNIQUE INDEX run_items_listing ON run_items (run_id, listing_id);
CREATE TABLE rejected_lines (
  run_id TEXT NOT NULL,
  line INTEGER NOT NULL,
  listing_id TEXT,
  reason TEXT NOT NULL,
  PRIMARY KEY (run_id, line)
);
CREATE TABLE llm_calls (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL,
  listing_id TEXT NOT NULL,
  workflow_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  model TEXT NOT NULL,
  route TEXT NOT NULL,
  prompt_hash TEXT NOT NULL,
  prompt_version TEXT NOT NULL,
  schema_version TEXT NOT NULL,
  started_at TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  cached_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  cost_pico INTEGER NOT NULL,
  status TEXT NOT NULL,
  error_type TEXT,
  error_message TEXT,
  finish_reason TEXT,
  tool_arguments TEXT,
  refusal TEXT,
  validation TEXT NOT NULL DEFAULT 'pending',
  validation_error TEXT,
  score INTEGER,
  confidence REAL,
  reasoning TEXT
);
CREATE INDEX llm_calls_listing ON llm_calls (listing_id, started_at);
CREATE INDEX llm_calls_run ON llm_calls (run_id, listing_id, prompt_hash, status);
CREATE INDEX llm_calls_hash ON llm_calls (prompt_hash);
CREATE TABLE scores (
  run_id TEXT NOT NULL,
  listing_id TEXT NOT NULL,
  call_id INTEGER NOT NULL REFERENCES llm_calls (id),
  model TEXT NOT NULL,
  score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
  confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  reasoning TEXT NOT NULL CHECK (length(reasoning) <= 200),
  content_hash TEXT NOT NULL,
  prompt_version TEXT NOT NULL,
  schema_version TEXT NOT NULL,
  scored_at TEXT NOT NULL,
  PRIMARY KEY (run_id, listing_id)
);
CREATE TABLE dead_letters (
  run_id TEXT NOT NULL,
  listing_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  error_type TEXT NOT NULL,
  last_error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  model TEXT,
  created_at TEXT NOT NULL,
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
  scope TEXT PRIMARY KEY,
  limit_pico INTEGER NOT NULL,
  reserved_pico INTEGER NOT NULL DEFAULT 0,
  spent_pico INTEGER NOT NULL DEFAULT 0
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
-- The route is decided once, at planning, and kept on the plan row: the model, the model a
-- low-confidence answer escalates to (NULL on the large tier) and the fallbacks (JSON map
-- from model to replacement). NULL route_model: planned before routing (an older worker).
ALTER TABLE run_items ADD COLUMN route_model TEXT;
ALTER TABLE run_items ADD COLUMN escalation_model TEXT;
ALTER TABLE run_items ADD COLUMN fallbacks_json TEXT;
`,
  },
  {
    id: 5,
    sql: dedupMigration('BLOB', 'INTEGER PRIMARY KEY AUTOINCREMENT', 'TEXT'),
  },
  { id: TOKEN_BUCKET_MIGRATION_ID, sql: TOKEN_BUCKET_SQLITE },
];
