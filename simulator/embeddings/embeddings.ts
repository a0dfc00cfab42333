import { invalidRequest, modelNotFound, type ApiError } from '../shared/errors';
import { countTokens } from '../shared/tokens';

/**
 * The embedding models the simulated provider serves: native dimensions and price (USD per 1M
 * input tokens; the Batch API halves it). Like the chat prices, deliberately independent of the
 * pipeline's table, so comparing the two catches drift.
 */
export const EMBEDDING_MODELS = {
  'text-embedding-3-small': { dimensions: 1536, usdPerMillion: 0.02 },
  'text-embedding-3-large': { dimensions: 3072, usdPerMillion: 0.13 },
} as const;

export type EmbeddingModel = keyof typeof EMBEDDING_MODELS;

export function isEmbeddingModel(name: unknown): name is EmbeddingModel {
  return typeof name === 'string' && Object.hasOwn(EMBEDDING_MODELS, name);
}

/** OpenAI's limits per request: 2,048 inputs, 8,192 tokens each, 300,000 tokens in all. */
const MAX_INPUTS = 2048;
const MAX_INPUT_TOKENS = 8192;
const MAX_REQUEST_TOKENS = 300_000;

/** FNV-1a over a string: cheap, stable across processes, good enough to spread n-grams. */
function fnv1a(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A hashed bag of character 4-grams of the lower-cased, whitespace-collapsed text, signed by a
 * second hash and normalised to unit length. Texts that differ by a date line, line breaks or
 * the order of a few lines share almost every n-gram and lie close (cosine ≈ 0.97–1); two
 * different listings share only their boilerplate and lie far lower. Deterministic: the same
 * text always has the same vector, as a real model's would.
 */
export function embedText(text: string, dimensions: number): number[] {
  const v = new Float64Array(dimensions);
  const norm = ` ${text.toLowerCase().replace(/\s+/g, ' ').trim()} `;
  for (let i = 0; i + 4 <= norm.length; i++) {
    const gram = norm.slice(i, i + 4);
    const bucket = fnv1a(gram, 0) % dimensions;
    v[bucket] = (v[bucket] ?? 0) + ((fnv1a(gram, 0x9e3779b9) & 1) === 0 ? 1 : -1);
  }
  let sum = 0;
  for (const x of v) sum += x * x;
  const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  return Array.from(v, (x) => x * scale);
}

export interface EmbeddingRequest {
  model: EmbeddingModel;
  inputs: string[];
  dimensions: number;
  base64: boolean;
  tokens: number[];
}

/** Checks a /v1/embeddings body the way OpenAI does, with its messages. */
export function parseEmbeddingRequest(body: unknown): EmbeddingRequest | ApiError {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return invalidRequest('The request body must be a JSON object.');
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string') return invalidRequest("Missing required parameter: 'model'.", 'model');
  if (!isEmbeddingModel(b.model)) return modelNotFound(b.model);
  const raw = b.input;
  const inputs = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((x) => typeof x === 'string'))
    return invalidRequest(
      "'input' must be a non-empty string or array of strings (token arrays are not simulated).",
      'input',
    );
  if (inputs.length > MAX_INPUTS)
    return invalidRequest(`'input' must have at most ${MAX_INPUTS} items, got ${inputs.length}.`, 'input');
  const native = EMBEDDING_MODELS[b.model].dimensions;
  const dimensions = b.dimensions === undefined ? native : b.dimensions;
  if (
    typeof dimensions !== 'number' ||
    !Number.isInteger(dimensions) ||
    dimensions < 1 ||
    dimensions > native
  )
    return invalidRequest(
      `'dimensions' must be an integer from 1 to ${native} for ${b.model}.`,
      'dimensions',
    );
  const format = b.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64')
    return invalidRequest("'encoding_format' must be 'float' or 'base64'.", 'encoding_format');
  const tokens = inputs.map((text) => countTokens(text, 'cl100k_base'));
  const longest = tokens.findIndex((t) => t > MAX_INPUT_TOKENS);
  if (longest >= 0)
    return invalidRequest(
      `This model's maximum context length is ${MAX_INPUT_TOKENS} tokens, however input ${longest} has ${tokens[longest]}.`,
      'input',
    );
  const total = tokens.reduce((a, t) => a + t, 0);
  if (total > MAX_REQUEST_TOKENS)
    return invalidRequest(
      `Requested ${total} tokens, max ${MAX_REQUEST_TOKENS} tokens per request.`,
      'input',
    );
  return { model: b.model, inputs: inputs, dimensions, base64: format === 'base64', tokens };
}

/** Little-endian float32, what OpenAI sends for `encoding_format: base64` (the SDK's default). */
function toBase64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

/** The response body OpenAI returns, and the tokens it bills. */
export function embeddingResponse(req: EmbeddingRequest): { body: unknown; promptTokens: number } {
  const promptTokens = req.tokens.reduce((a, t) => a + t, 0);
  return {
    promptTokens,
    body: {
      object: 'list',
      model: req.model,
      data: req.inputs.map((text, index) => {
        const vector = embedText(text, req.dimensions);
        return { object: 'embedding', index, embedding: req.base64 ? toBase64(vector) : vector };
      }),
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    },
  };
}

/** Nano-USD for `tokens` input tokens (USD per 1M tokens × 1000 is nano-USD per token). */
export function embeddingCostNano(model: EmbeddingModel, tokens: number, discount = 1): number {
  return Math.round(tokens * Math.round(EMBEDDING_MODELS[model].usdPerMillion * 1000) * discount);
}
