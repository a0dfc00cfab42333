import type { ModelName } from './models';

/**
 * The simulated provider's own price list, USD per 1M tokens. It stands for OpenAI's bill and is
 * deliberately independent of the pipeline's pricing table, so comparing the two catches drift.
 */
export interface Price {
  input: number;
  cachedInput: number;
  output: number;
}

export const PRICES: Record<ModelName, Price> = {
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-4-turbo': { input: 10, cachedInput: 10, output: 30 },
  'gpt-4': { input: 30, cachedInput: 30, output: 60 },
};

/**
 * USD per 1M tokens equals micro-USD per token, so ×1000 gives nano-USD per token. Every listed
 * price has at most three decimals, so costs are exact integers in nano-USD (no float drift when
 * millions of calls are summed; Number stays exact far beyond any simulated bill).
 */
function nanoPerToken(usdPerMillion: number): number {
  return Math.round(usdPerMillion * 1000);
}

export interface TokenUsage {
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
}

/** Cost in nano-USD: cached prompt tokens at the cached rate, the rest of the prompt at the input rate. */
export function costNanoUsd(model: ModelName, usage: TokenUsage, discount = 1): number {
  const p = PRICES[model];
  const uncached = usage.promptTokens - usage.cachedTokens;
  const nano =
    uncached * nanoPerToken(p.input) +
    usage.cachedTokens * nanoPerToken(p.cachedInput) +
    usage.completionTokens * nanoPerToken(p.output);
  // Batch pricing halves everything; rounding only happens here, once per call.
  return Math.round(nano * discount);
}
