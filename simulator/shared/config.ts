import { z } from 'zod';
import { KNOWN_MODELS } from './models';

const model = z.enum(KNOWN_MODELS);
const probability = z.number().min(0).max(1);

const latencySchema = z
  .object({ medianMs: z.number().min(0), p95Ms: z.number().min(0) })
  .strict()
  .refine((l) => l.p95Ms >= l.medianMs, { message: 'p95Ms must be at least medianMs', path: ['p95Ms'] });

const rateLimitSchema = z
  .object({ rpm: z.number().int().positive(), tpm: z.number().int().positive() })
  .strict();

const batchSchema = z
  .object({
    /** How long a new batch stays `validating` before it fails or starts. */
    validatingMs: z.number().int().min(0),
    /** Lines run one after another, each this long after the previous one. */
    processingMsPerLine: z.number().min(0),
    finalizingMs: z.number().int().min(0),
    cancellingMs: z.number().int().min(0),
    /** From creation to `expired`; null means OpenAI's 24h completion window. */
    expireAfterMs: z.number().int().positive().nullable(),
    /** Per line: the request fails with a 500 and lands in the error file, unbilled. */
    lineFailureRate: probability,
    /** Per batch: it fails at the end of validation, nothing billed. */
    failBatchRate: probability,
  })
  .strict();

export const configSchema = z
  .object({
    /** Multiplies every latency draw; 0 answers instantly (benchmarks, unit tests). */
    latencyScale: z.number().min(0),
    latency: z.partialRecord(model, latencySchema),
    /** Standard deviation of the model's score noise, in score points. */
    noiseSigma: z.partialRecord(model, z.number().min(0).max(5)),
    /** Probability that a listing carrying a prompt injection fools the model. */
    injectionSusceptibility: z.partialRecord(model, probability),
    /** A fooled model answers outside the schema (score above its maximum) instead of 10/1.0. */
    injectionOutsideSchema: z.boolean(),
    /** Models without an entry are not rate limited and carry no x-ratelimit headers. */
    rateLimits: z.partialRecord(model, rateLimitSchema),
    random429Rate: probability,
    insufficientQuota: z.boolean(),
    errorRates: z
      .object({
        http500: probability,
        http502: probability,
        http503: probability,
        connectionReset: probability,
        hang: probability,
      })
      .strict(),
    hangMs: z.number().int().min(0),
    outputFaults: z
      .object({
        invalidJson: probability,
        schemaViolation: probability,
        refusal: probability,
        truncated: probability,
      })
      .strict(),
    drift: z.object({ scoreShift: z.number().min(-9).max(9), models: z.array(model).optional() }).strict(),
    /** Setting it starts an outage now; null ends one early. */
    outage: z
      .object({ mode: z.enum(['503', 'refuse']), durationMs: z.number().int().positive() })
      .strict()
      .nullable(),
    strictSchema: z
      .object({
        maxNestingDepth: z.number().int().positive(),
        maxObjectProperties: z.number().int().positive(),
        maxEnumValues: z.number().int().positive(),
      })
      .strict(),
    promptCacheTtlMs: z.number().int().min(0),
    /** In-memory file storage (uploads plus batch output and error files). */
    files: z.object({ maxTotalBytes: z.number().int().positive() }).strict(),
    batch: batchSchema,
    /**
     * What a forced tool_choice meets: OpenAI honours it; llama.cpp-like servers ignore it and
     * answer in plain text; others refuse it with a 400 (for `auto` output-mode tests).
     */
    forcedToolChoice: z.enum(['honour', 'ignore', 'reject']),
    /** False: /v1/files and /v1/batches answer 404, as on servers without a Batch API. */
    batchApi: z.boolean(),
  })
  .strict();

export type SimulatorConfig = z.infer<typeof configSchema>;

/** A JSON merge patch (RFC 7386) over the config: objects merge, `null` removes, the rest replaces. */
export type SimulatorConfigPatch = DeepPatch<SimulatorConfig>;
type DeepPatch<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPatch<T[K]> | null }
    : T;

export const DEFAULT_CONFIG: SimulatorConfig = {
  latencyScale: 1,
  latency: {
    'gpt-4o-mini': { medianMs: 600, p95Ms: 1500 },
    'gpt-4o': { medianMs: 900, p95Ms: 2500 },
    'gpt-4.1': { medianMs: 900, p95Ms: 2500 },
    'gpt-4.1-mini': { medianMs: 500, p95Ms: 1300 },
    'gpt-4.1-nano': { medianMs: 350, p95Ms: 900 },
    'gpt-4-turbo': { medianMs: 1500, p95Ms: 4000 },
    'gpt-4': { medianMs: 2000, p95Ms: 5000 },
  },
  noiseSigma: {
    'gpt-4.1-nano': 1.2,
    'gpt-4o-mini': 0.9,
    'gpt-4.1-mini': 0.6,
    'gpt-4o': 0.25,
    'gpt-4.1': 0.25,
    'gpt-4-turbo': 0.35,
    'gpt-4': 0.35,
  },
  injectionSusceptibility: {
    'gpt-4.1-nano': 0.5,
    'gpt-4o-mini': 0.5,
    'gpt-4.1-mini': 0.5,
    'gpt-4o': 0.05,
    'gpt-4.1': 0.05,
    'gpt-4-turbo': 0.05,
    'gpt-4': 0.05,
  },
  injectionOutsideSchema: false,
  // Roughly OpenAI's tier-5 limits: real headers on every response, but nothing a test trips by accident.
  rateLimits: {
    'gpt-4o-mini': { rpm: 30_000, tpm: 150_000_000 },
    'gpt-4o': { rpm: 10_000, tpm: 30_000_000 },
    'gpt-4.1': { rpm: 10_000, tpm: 30_000_000 },
    'gpt-4.1-mini': { rpm: 30_000, tpm: 150_000_000 },
    'gpt-4.1-nano': { rpm: 30_000, tpm: 150_000_000 },
    'gpt-4-turbo': { rpm: 10_000, tpm: 2_000_000 },
    'gpt-4': { rpm: 10_000, tpm: 1_000_000 },
  },
  random429Rate: 0,
  insufficientQuota: false,
  errorRates: { http500: 0, http502: 0, http503: 0, connectionReset: 0, hang: 0 },
  hangMs: 120_000,
  outputFaults: { invalidJson: 0, schemaViolation: 0, refusal: 0, truncated: 0 },
  drift: { scoreShift: 0 },
  outage: null,
  // The structured-outputs guide's current limits (it said 100 properties / 5 levels in 2024).
  strictSchema: { maxNestingDepth: 10, maxObjectProperties: 5000, maxEnumValues: 1000 },
  promptCacheTtlMs: 5 * 60_000,
  // OpenAI lets an organisation store far more; a local test double should stay small.
  files: { maxTotalBytes: 512 * 1024 * 1024 },
  // Fast enough for tests: a 200-line batch finishes in about 1.5 s.
  batch: {
    validatingMs: 200,
    processingMsPerLine: 5,
    finalizingMs: 200,
    cancellingMs: 200,
    expireAfterMs: null,
    lineFailureRate: 0,
    failBatchRate: 0,
  },
  forcedToolChoice: 'honour',
  batchApi: true,
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386 merge; returns a new value and never mutates its inputs. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * Applies a merge patch and validates the result. Throws ConfigError naming each offending field
 * path, so an admin caller learns exactly which knob was wrong.
 */
export function applyConfigPatch(current: SimulatorConfig, patch: unknown): SimulatorConfig {
  if (!isPlainObject(patch)) throw new ConfigError('Invalid config patch: expected a JSON object');
  const merged = mergePatch(current, patch) as Record<string, unknown>;
  // A removed outage means "no outage", not a missing field.
  if (!('outage' in merged)) merged.outage = null;
  // Likewise, patching expireAfterMs to null restores the 24h window.
  const batch = merged.batch;
  if (isPlainObject(batch) && !('expireAfterMs' in batch)) merged.batch = { ...batch, expireAfterMs: null };
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => {
      const path = issue.path.map(String);
      // Name each unknown key in the path itself, so "errorRates.http418" reads like the others.
      if (issue.code === 'unrecognized_keys')
        return issue.keys.map((key) => `${[...path, key].join('.')}: unknown field`);
      return [`${path.join('.') || '(root)'}: ${issue.message}`];
    });
    throw new ConfigError(`Invalid config: ${problems.join('; ')}`);
  }
  return parsed.data;
}
