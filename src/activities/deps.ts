import type OpenAI from 'openai';
import type { OutputModes } from '../llm/output-mode';
import type { ErrorTracker } from '../observability/error-tracking';
import type { SharedTokenLimiter } from '../llm/rate-limits/shared-limiter';
import type { Logger } from '../observability/logger';
import type { PipelineMetrics } from '../observability/metrics';
import type { BackoffConfig } from '../scoring/backoff';
import type { PriceTable } from '../scoring/pricing';
import type { RoutingConfig } from '../scoring/routing';
import type { Store } from '../store/store';

/** Everything activities touch, handed in by the worker so tests can wire their own. */
export interface ActivityDeps {
  store: Store;
  openai: OpenAI;
  prices: PriceTable;
  logger: Logger;
  routing: RoutingConfig;
  backoff: BackoffConfig;
  /** Base task queue; LLM calls for a model go to `modelTaskQueue(taskQueue, model)`. */
  taskQueue: string;
  /** Tokens-per-minute limits shared by every worker through the store (the queue limit covers requests). */
  tokenLimiter?: SharedTokenLimiter;
  /** Prometheus counters; optional so tests and tools can run without an endpoint. */
  metrics?: PipelineMetrics;
  /** Structured-output mode per model, with what `auto` learned in this process. */
  outputModes?: OutputModes;
  /** Sentry, when SENTRY_DSN is set: dead letters and drift alarms are reported there too. */
  errors?: ErrorTracker;
  /** Rows per planning transaction: large enough to be fast, small enough to heartbeat often. */
  planChunkSize?: number;
}
