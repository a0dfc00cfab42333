import OpenAI from 'openai';
import type { ChatRequest } from '../scoring/prompt';
import type { RawModelOutput } from '../scoring/validate';
import type { TokenUsage } from '../scoring/pricing';
import { keepAliveFetch } from './keep-alive-fetch';
import { parseRateLimitHeaders, type ProviderLimits } from './rate-limits/headers';
import {
  answerText,
  ignoredForcedTool,
  OutputModes,
  rejectedTools,
  wireRequest,
  type OutputMode,
} from './output-mode';

/** Used when no selector is wired in: still one memory per process, as `auto` needs. */
export const PROCESS_OUTPUT_MODES = new OutputModes();

export interface LlmClientOptions {
  baseURL: string | undefined;
  apiKey: string;
  timeoutMs: number;
}

/**
 * Temporal is the only retry owner: the SDK's own retries (2 by default, and it retries
 * `insufficient_quota` 429s like rate limits) are switched off, so each SDK call is exactly
 * one HTTP attempt and each attempt is one Temporal activity attempt we can see and count.
 */
export function createOpenAiClient(opts: LlmClientOptions): OpenAI {
  return new OpenAI({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL,
    maxRetries: 0,
    timeout: opts.timeoutMs,
    fetch: keepAliveFetch(),
  });
}

export interface CompletionResult {
  output: RawModelOutput;
  usage: TokenUsage;
  responseModel: string;
  /** How the answer was asked for; not part of the prompt hash (see wireRequest). */
  outputMode: OutputMode;
  /** What the provider's x-ratelimit-* headers said about its limits. */
  rateLimits: ProviderLimits;
}

/** The failure type of a call that taught `auto` to switch modes: retried at once, in the new mode. */
export const OUTPUT_MODE_FALLBACK = 'LlmOutputModeFallback';

/**
 * Thrown when `auto` learns from this very call that the server ignores or rejects a forced
 * tool call. It carries what the server billed (an ignored call was answered and counted;
 * a rejected one reported nothing), so the call row matches the provider's usage. The retry
 * goes out in json_schema and keeps the listing's one re-ask for a genuinely bad answer.
 */
export class OutputModeFallback extends Error {
  override name = 'OutputModeFallback';
  constructor(
    message: string,
    readonly usage: TokenUsage,
    readonly output: RawModelOutput | null,
    readonly status: number | null,
  ) {
    super(message);
  }
}

const ZERO_USAGE: TokenUsage = { promptTokens: 0, cachedTokens: 0, completionTokens: 0 };

/** One Chat Completions call; returns what the model said without judging it. */
export async function completeScoring(
  client: OpenAI,
  request: ChatRequest,
  signal?: AbortSignal,
  modes: OutputModes = PROCESS_OUTPUT_MODES,
): Promise<CompletionResult> {
  const { mode, canFallBack } = modes.modeFor(client.baseURL, request.model);
  let response: OpenAI.Chat.Completions.ChatCompletion;
  let rateLimits: ProviderLimits;
  try {
    const answered = await client.chat.completions
      .create(wireRequest(request, mode), { signal })
      .withResponse();
    response = answered.data;
    rateLimits = parseRateLimitHeaders(answered.response.headers);
  } catch (err) {
    if (canFallBack && rejectedTools(err)) {
      const reason = `rejected a forced tool call: ${(err as Error).message}`;
      modes.fallBack(client.baseURL, request.model, reason);
      throw new OutputModeFallback(reason, ZERO_USAGE, null, 400);
    }
    throw err;
  }
  const choice = response.choices[0];
  const result: CompletionResult = {
    output: {
      finishReason: choice?.finish_reason ?? null,
      toolArguments: answerText(choice?.message, mode),
      refusal: choice?.message.refusal ?? null,
    },
    usage: {
      promptTokens: response.usage?.prompt_tokens ?? 0,
      cachedTokens: response.usage?.prompt_tokens_details?.cached_tokens ?? 0,
      completionTokens: response.usage?.completion_tokens ?? 0,
    },
    responseModel: response.model,
    outputMode: mode,
    rateLimits,
  };
  if (canFallBack && ignoredForcedTool(choice)) {
    const reason = 'ignored a forced tool call (answered without calling score_listing)';
    modes.fallBack(client.baseURL, request.model, reason);
    throw new OutputModeFallback(reason, result.usage, result.output, 200);
  }
  return result;
}
