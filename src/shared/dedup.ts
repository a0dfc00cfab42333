/**
 * Near-duplicate options and figures shared by the CLI, the workflow and the activities. Off by
 * default: embedding costs money and merging answers is a decision a deployment makes.
 * The defaults of the optional fields are `RUN_DEFAULTS.dedup` (shared/messages).
 */
export interface DedupOptions {
  /** 'near': embed every listing and score one representative per cluster; 'off' (default). */
  mode: 'off' | 'near';
  /** Cosine similarity at or above which two listings in one guard block are one job (0.95). */
  threshold?: number;
  /** The embedding model (`text-embedding-3-small`); it needs a price in the pricing table. */
  model?: string;
  /**
   * Vector size asked of the model (1024). On the bench day 512 caught 387 of 401 reposts with
   * 10 wrong merges at 0.95, 1024 caught 383 with 1: the cache holds 4 KB per distinct text.
   */
  dimensions?: number;
  /** How many days back an earlier run's answer may be reused (30). */
  lookbackDays?: number;
}

/** What the embedding and clustering steps did, kept in the plan (and so in `carry`). */
export interface DedupResult {
  /** Listings that took part (canaries and cache hits do not). */
  listings: number;
  /** Embedded by a call now, and found in the embedding cache. */
  embedded: number;
  embeddingCached: number;
  embeddingCalls: number;
  embeddingTokens: number;
  embeddingCostPico: number;
  /** Listings that reuse another listing's answer, and of them, answers from earlier runs. */
  nearDuplicates: number;
  earlierDay: number;
  /** Guard blocks visited, and the largest one (in listings). */
  blocks: number;
  largestBlock: number;
}

export interface EmbedRangeInput {
  runId: string;
  fromSeq: number;
  toSeq: number;
  model: string;
  dimensions: number;
}

export interface EmbedRangeResult {
  listings: number;
  embedded: number;
  cached: number;
  calls: number;
  promptTokens: number;
  costPico: number;
  /** Listings left out because the run's or the day's budget had no room for their embedding. */
  overBudget?: number;
}

export interface ClusterInput {
  runId: string;
  runDate: string;
  threshold: number;
  model: string;
  dimensions: number;
  lookbackDays: number;
}

export interface ClusterResult {
  nearDuplicates: number;
  earlierDay: number;
  blocks: number;
  largestBlock: number;
}
