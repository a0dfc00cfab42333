import type { ActivityDeps } from '../activities';
import type { Config } from '../config';
import { createOpenAiClient } from '../llm/client';
import { OutputModes } from '../llm/output-mode';
import type { Logger } from '../observability/logger';
import { DEFAULT_BACKOFF } from '../scoring/backoff';
import { DEFAULT_ROUTING, servedModels } from '../scoring/routing';
import { SharedTokenLimiter, type LimitChange } from '../llm/rate-limits/shared-limiter';
import { openStore } from '../store/open-store';
import type { Store } from '../store/store';

export class MissingApiKeyError extends Error {
  override name = 'MissingApiKeyError';
}

/** Builds activity dependencies from config; the one place that picks concrete implementations. */
export async function buildDeps(
  config: Config,
  logger: Logger,
  store?: Store,
  onLimitChange?: (change: LimitChange) => void,
): Promise<ActivityDeps> {
  if (!config.openai.apiKey) {
    throw new MissingApiKeyError('OPENAI_API_KEY is not set: the worker cannot call the model provider');
  }
  const prices = config.prices;
  const routing = { ...DEFAULT_ROUTING, models: { ...config.models } };
  for (const model of servedModels(routing)) prices.priceOf(model); // unpriced model: fail at start, never bill $0
  const db = store ?? openStore(config.dbPath);
  await db.migrate();
  return {
    store: db,
    openai: createOpenAiClient({
      baseURL: config.openai.baseURL,
      apiKey: config.openai.apiKey,
      timeoutMs: config.openai.timeoutMs,
    }),
    prices,
    logger,
    routing,
    backoff: DEFAULT_BACKOFF,
    taskQueue: config.temporal.taskQueue,
    outputModes: new OutputModes(config.outputModes, (fact) =>
      logger.warn(
        { event: 'output_mode_fallback', ...fact },
        `${fact.baseURL} ${fact.reason} for ${fact.model}: this worker now asks it for response_format json_schema`,
      ),
    ),
    // Always on: with no SCORELINE_MODEL_TPM the limits are learned from the provider's headers.
    tokenLimiter: new SharedTokenLimiter(db, {
      configuredTpm: config.modelTpm
        ? Object.fromEntries(servedModels(routing).map((m) => [m, config.modelTpm as number]))
        : undefined,
      onChange: onLimitChange,
    }),
  };
}
