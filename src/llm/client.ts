import OpenAI from 'openai';
import type { ChatRequest } from '../scoring/prompt';
import type { RawModelOutput } from '../scoring/validate';
import type { TokenUsage } from '../scoring/pricing';

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
  return new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseURL, maxRetries: 0, timeout: opts.timeoutMs });
}

export interface CompletionResult {
  output: RawModelOutput;
  usage: TokenUsage;
  responseModel: string;
}

/** One Chat Completions call; returns what the model said without judging it. */
export async function completeScoring(
  client: OpenAI,
  request: ChatRequest,
  signal?: AbortSignal,
): Promise<CompletionResult> {
  const response = await client.chat.completions.create(request, { signal });
  const choice = response.choices[0];
  const call = choice?.message.tool_calls?.find((c) => c.type === 'function');
  return {
    output: {
      finishReason: choice?.finish_reason ?? null,
      toolArguments: call && call.type === 'function' ? call.function.arguments : null,
      refusal: choice?.message.refusal ?? null,
    },
    usage: {
      promptTokens: response.usage?.prompt_tokens ?? 0,
      cachedTokens: response.usage?.prompt_tokens_details?.cached_tokens ?? 0,
      completionTokens: response.usage?.completion_tokens ?? 0,
    },
    responseModel: response.model,
  };
}
