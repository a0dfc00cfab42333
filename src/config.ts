import { z } from 'zod';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { PriceTable } from './scoring/pricing';
import { RUN_DEFAULTS } from './shared/messages';
import { DEFAULT_ROUTING } from './scoring/routing';
import { parseCodecKeys } from './codec/keys';
import { temporalSettings } from './temporal/connection';
import { SEARCH_ATTRIBUTE_MODES, type SearchAttributeMode } from './temporal/search-attributes';
import { OUTPUT_MODE_SETTINGS, parseModelModes, type OutputModeConfig } from './llm/output-mode';

/**
 * All configuration, parsed once at the edge from the environment. Nothing deeper reads
 * `process.env`: workers, the CLI and tests receive a `Config` value.
 */
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const envSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  SCORELINE_TASK_QUEUE: z.string().min(1).default('scoreline'),
  /** auto: add missing search attributes on a dev server, refuse elsewhere; register: always add; check: never. */
  SCORELINE_SEARCH_ATTRIBUTES: z.enum(SEARCH_ATTRIBUTE_MODES).default('auto'),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  SCORELINE_DATA_DIR: z.string().min(1).default('.data'),
  /** A file path (SQLite, the default) or a postgres:// URL. */
  SCORELINE_DB: z.string().min(1).optional(),
  SCORELINE_LOG_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  SCORELINE_SMALL_MODEL: z.string().min(1).default(DEFAULT_ROUTING.models.small),
  SCORELINE_LARGE_MODEL: z.string().min(1).default(DEFAULT_ROUTING.models.large),
  SCORELINE_MAX_ATTEMPTS: positiveInt(RUN_DEFAULTS.maxAttempts),
  SCORELINE_CALL_TIMEOUT_MS: positiveInt(60_000),
  /** Requests per minute allowed per model; becomes the model queue's server-side rate limit. */
  SCORELINE_MODEL_RPM: positiveInt(3000),
  /** Tokens per minute allowed per model; unset means no local token guard. */
  SCORELINE_MODEL_TPM: z.coerce.number().int().positive().optional(),
  SCORELINE_MAX_CONCURRENT_ACTIVITIES: positiveInt(200),
  /**
   * How answers are forced into the schema: `auto` (default) sends a forced tool call and
   * switches to response_format json_schema where a server ignores or rejects it.
   */
  SCORELINE_OUTPUT_MODE: z.enum(OUTPUT_MODE_SETTINGS).default('auto'),
  /** Per-model overrides: `model=mode,model=mode`. */
  SCORELINE_OUTPUT_MODE_MODELS: z.string().optional(),
  SCORELINE_CODEC_KEYS: z.string().optional(),
  SCORELINE_PRICES: z.string().optional(),
  /** A workflow bundle built ahead of time (src/worker/build-bundle.ts); unset: bundled at start. */
  SCORELINE_WORKFLOW_BUNDLE: z.string().min(1).optional(),
  /** What the cost report charges per million Temporal actions (Temporal Cloud lists from about $50). */
  SCORELINE_ACTION_PRICE_PER_MILLION: z.coerce.number().nonnegative().default(50),
  /** The worker's Prometheus endpoint; 0.0.0.0 in a container so Prometheus can reach it. */
  SCORELINE_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  SCORELINE_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** Where the Temporal SDK's own exporter listens (merged into our endpoint). */
  SCORELINE_TEMPORAL_METRICS_PORT: z.coerce.number().int().min(1).max(65535).default(9465),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    connection: NativeConnectionOptions;
    describe: string;
    searchAttributes: SearchAttributeMode;
  };
  /** Payload encryption keys (SCORELINE_CODEC_KEYS); absent: payloads are stored as plain JSON. */
  codecKeys: string | undefined;
  /** Price overrides (SCORELINE_PRICES, JSON: model → { input, cachedInput, output } USD per 1M tokens). */
  prices: PriceTable;
  /** USD per million Temporal actions, for the cost report's orchestration line. */
  actionPriceUsdPerMillion: number;
  /** The prebuilt workflow bundle a worker loads instead of bundling at start. */
  workflowBundlePath: string | undefined;
  openai: { baseURL: string | undefined; apiKey: string | undefined; timeoutMs: number };
  dataDir: string;
  dbPath: string;
  logFile: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  models: { small: string; large: string };
  maxAttempts: number;
  outputModes: OutputModeConfig;
  modelRpm: number;
  modelTpm: number | undefined;
  maxConcurrentActivities: number;
  metrics: { host: string; port: number; temporalPort: number };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const priceSchema = z.record(
  z.string().min(1),
  z
    .object({
      input: z.number().nonnegative(),
      cachedInput: z.number().nonnegative(),
      output: z.number().nonnegative(),
    })
    .strict(),
);

function parsePrices(raw: string | undefined): PriceTable {
  const table = new PriceTable();
  if (!raw) return table;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new ConfigError(`SCORELINE_PRICES is not JSON: ${(err as Error).message}`);
  }
  const parsed = priceSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(
      `SCORELINE_PRICES: ${problems} (expected {"model": {"input": 0.15, "cachedInput": 0.075, "output": 0.6}}, USD per 1M tokens)`,
    );
  }
  return table.withOverrides(parsed.data);
}

/** Fails at start on a malformed or short key, not on the first payload. */
function checkedCodecKeys(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    parseCodecKeys(raw);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  return raw;
}

function checkedModelModes(raw: string | undefined): OutputModeConfig['perModel'] {
  try {
    return parseModelModes(raw);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

export function loadConfig(rawEnv: Record<string, string | undefined> = process.env): Config {
  // Compose and shells pass unset variables as empty strings: an empty value means "not set".
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  let settings;
  try {
    settings = temporalSettings(env, { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE });
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  return {
    temporal: {
      ...settings,
      taskQueue: e.SCORELINE_TASK_QUEUE,
      searchAttributes: e.SCORELINE_SEARCH_ATTRIBUTES,
    },
    openai: { baseURL: e.OPENAI_BASE_URL, apiKey: e.OPENAI_API_KEY, timeoutMs: e.SCORELINE_CALL_TIMEOUT_MS },
    dataDir: e.SCORELINE_DATA_DIR,
    dbPath: e.SCORELINE_DB ?? `${e.SCORELINE_DATA_DIR}/scoreline.db`,
    logFile: e.SCORELINE_LOG_FILE ?? `${e.SCORELINE_DATA_DIR}/logs/scoreline.log`,
    logLevel: e.LOG_LEVEL,
    models: { small: e.SCORELINE_SMALL_MODEL, large: e.SCORELINE_LARGE_MODEL },
    maxAttempts: e.SCORELINE_MAX_ATTEMPTS,
    outputModes: {
      default: e.SCORELINE_OUTPUT_MODE,
      perModel: checkedModelModes(e.SCORELINE_OUTPUT_MODE_MODELS),
    },
    modelRpm: e.SCORELINE_MODEL_RPM,
    modelTpm: e.SCORELINE_MODEL_TPM,
    maxConcurrentActivities: e.SCORELINE_MAX_CONCURRENT_ACTIVITIES,
    codecKeys: checkedCodecKeys(e.SCORELINE_CODEC_KEYS),
    prices: parsePrices(e.SCORELINE_PRICES),
    actionPriceUsdPerMillion: e.SCORELINE_ACTION_PRICE_PER_MILLION,
    workflowBundlePath: e.SCORELINE_WORKFLOW_BUNDLE,
    metrics: {
      host: e.SCORELINE_METRICS_HOST,
      port: e.SCORELINE_METRICS_PORT,
      temporalPort: e.SCORELINE_TEMPORAL_METRICS_PORT,
    },
  };
}

/** LLM calls for one model run on their own queue, so each model's rate limit is enforced by the server. */
export function modelTaskQueue(baseQueue: string, model: string): string {
  return `${baseQueue}-llm-${model}`;
}
