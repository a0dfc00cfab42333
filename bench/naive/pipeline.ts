import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { parseFeedFile } from '../../src/feed/parse';
import type { Listing } from '../../src/feed/listing';
import { completeScoring } from '../../src/llm/client';
import { buildScoringRequest } from '../../src/scoring/prompt';
import { DEFAULT_ROUTING, listingFeatures, routeListing } from '../../src/scoring/routing';
import { validateModelOutput } from '../../src/scoring/validate';
import { callWithRetry, DEFAULT_RETRY, promisePool, RetriesExhausted, type RetryOptions } from './retry';

/**
 * The baseline: the pipeline a team writes first, without Temporal. Read the feed, score
 * every listing through a promise pool with the openai SDK and a try/catch retry loop, check
 * each answer with the same validation as Scoreline, and write one row per listing to
 * SQLite. Same prompt, same tool schema, same validation; no queue, no durable state, no
 * rate-limit awareness beyond retrying.
 */

/** 'routed' picks small or large with Scoreline's routing rule (no cascade); the others pin one tier. */
export type NaiveModelChoice = 'routed' | 'small' | 'large';

export interface NaiveOptions {
  feedPath: string;
  criteria: string;
  baseURL: string;
  apiKey: string;
  dbPath: string;
  model: NaiveModelChoice;
  /** Listings in flight at once. */
  concurrency: number;
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Injected by tests to skip real waits. */
  sleep?: (ms: number) => Promise<void>;
}

export interface NaiveResult {
  listings: number;
  rejectedLines: number;
  scored: number;
  failed: number;
  /** HTTP requests made (every attempt). */
  requests: number;
  /** Attempts that failed with HTTP 429. */
  rateLimited: number;
  /** Attempts whose answer failed validation. */
  invalid: number;
  /** Failed listings by the last error's kind. */
  failures: Record<string, number>;
  wallMs: number;
}

class InvalidAnswer extends Error {
  override name = 'InvalidAnswer';
}

function modelFor(listing: Listing, choice: NaiveModelChoice): string {
  if (choice === 'small') return DEFAULT_ROUTING.models.small;
  if (choice === 'large') return DEFAULT_ROUTING.models.large;
  return routeListing(listingFeatures(listing), DEFAULT_ROUTING).model;
}

function kindOf(err: unknown): string {
  if (err instanceof OpenAI.APIError && err.status !== undefined) return `http_${err.status}`;
  if (err instanceof OpenAI.APIConnectionTimeoutError) return 'timeout';
  if (err instanceof OpenAI.APIConnectionError) return 'connection';
  if (err instanceof InvalidAnswer) return 'invalid_output';
  return err instanceof Error ? err.name : 'unknown';
}

export function openNaiveDb(path: string): Database.Database {
  const db = new Database(path);
  // The same durability settings as Scoreline's SQLite store, so neither pays more per write.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE IF NOT EXISTS naive_scores (
    listing_id TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    score INTEGER CHECK (score BETWEEN 1 AND 10),
    confidence REAL,
    reasoning TEXT,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL,
    error TEXT,
    finished_at TEXT NOT NULL
  )`);
  return db;
}

/** Scores of the listings that got a valid answer, by listing id. */
export function readNaiveScores(dbPath: string): Map<string, number> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db
      .prepare('SELECT listing_id AS id, score FROM naive_scores WHERE score IS NOT NULL')
      .all() as Array<{
      id: string;
      score: number;
    }>;
    return new Map(rows.map((r) => [r.id, r.score]));
  } finally {
    db.close();
  }
}

export async function runNaivePipeline(o: NaiveOptions): Promise<NaiveResult> {
  const started = Date.now();
  const feed = await parseFeedFile(o.feedPath);
  const client = new OpenAI({
    apiKey: o.apiKey,
    baseURL: o.baseURL,
    maxRetries: 0, // our own loop below is the one retry policy
    timeout: o.timeoutMs ?? 60_000,
  });
  const db = openNaiveDb(o.dbPath);
  const insert = db.prepare(
    `INSERT OR REPLACE INTO naive_scores
       (listing_id, model, score, confidence, reasoning, prompt_tokens, completion_tokens, attempts, error, finished_at)
     VALUES (@id, @model, @score, @confidence, @reasoning, @promptTokens, @completionTokens, @attempts, @error, @at)`,
  );
  const result: NaiveResult = {
    listings: feed.listings.length,
    rejectedLines: feed.rejected.length,
    scored: 0,
    failed: 0,
    requests: 0,
    rateLimited: 0,
    invalid: 0,
    failures: {},
    wallMs: 0,
  };
  const retry = o.retry ?? DEFAULT_RETRY;
  try {
    await promisePool(feed.listings, o.concurrency, async (listing) => {
      const model = modelFor(listing, o.model);
      const request = buildScoringRequest(model, o.criteria, listing);
      const at = () => new Date().toISOString();
      try {
        const { value, attempts } = await callWithRetry(
          async () => {
            result.requests++;
            try {
              const done = await completeScoring(client, request);
              const verdict = validateModelOutput(done.output);
              if (!verdict.valid) {
                result.invalid++;
                throw new InvalidAnswer(verdict.reason);
              }
              return { done, score: verdict.result };
            } catch (err) {
              if (err instanceof OpenAI.APIError && err.status === 429) result.rateLimited++;
              throw err;
            }
          },
          retry,
          { sleep: o.sleep },
        );
        insert.run({
          id: listing.id,
          model,
          score: value.score.score,
          confidence: value.score.confidence,
          reasoning: value.score.reasoning,
          promptTokens: value.done.usage.promptTokens,
          completionTokens: value.done.usage.completionTokens,
          attempts,
          error: null,
          at: at(),
        });
        result.scored++;
      } catch (err) {
        const last = err instanceof RetriesExhausted ? err.lastError : err;
        const kind = kindOf(last);
        result.failures[kind] = (result.failures[kind] ?? 0) + 1;
        result.failed++;
        insert.run({
          id: listing.id,
          model,
          score: null,
          confidence: null,
          reasoning: null,
          promptTokens: 0,
          completionTokens: 0,
          attempts: err instanceof RetriesExhausted ? err.attempts : 1,
          error: `${kind}: ${last instanceof Error ? last.message : String(last)}`.slice(0, 500),
          at: at(),
        });
      }
    });
  } finally {
    db.close();
  }
  result.wallMs = Date.now() - started;
  return result;
}
