import { picoToUsd } from '../shared/money';

/**
 * USD per 1M tokens, from OpenAI's public price list as of PRICES_AS_OF. Overridable per
 * deployment (see `withOverrides`), because prices change more often than code.
 * Where a model has no cached-input discount the cached price equals the input price.
 */
export const PRICES_AS_OF = '2026-11-01';

export interface ModelPrice {
  input: number;
  cachedInput: number;
  output: number;
}

export type Route = 'sync' | 'batch';

/** The Batch API bills every token class at half price. */
export const BATCH_DISCOUNT = 0.5;

export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-4-turbo': { input: 10, cachedInput: 10, output: 30 },
  'gpt-4': { input: 30, cachedInput: 30, output: 60 },
  // Embedding models bill input tokens only (and half of them through the Batch API).
  'text-embedding-3-small': { input: 0.02, cachedInput: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, cachedInput: 0.13, output: 0 },
};

export interface TokenUsage {
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
}

export class UnknownModelPriceError extends Error {
  constructor(readonly model: string) {
    super(`no price for model "${model}": add it to the pricing table (SCORELINE_PRICES) before using it`);
    this.name = 'UnknownModelPriceError';
  }
}

export class PriceTable {
  constructor(private readonly prices: Readonly<Record<string, ModelPrice>> = DEFAULT_PRICES) {}

  withOverrides(overrides: Record<string, ModelPrice>): PriceTable {
    return new PriceTable({ ...this.prices, ...overrides });
  }

  has(model: string): boolean {
    return Object.hasOwn(this.prices, model);
  }

  /** Throws for an unpriced model: a call we cannot price must never be booked as $0. */
  priceOf(model: string): ModelPrice {
    const price = this.prices[model];
    if (!price) throw new UnknownModelPriceError(model);
    return price;
  }

  /**
   * Cost in pico-dollars (1e-12 USD). Every listed price is a whole number of pico-dollars
   * per token even at the batch discount, so sums are exact integers; a Number holds them
   * exactly up to about $9,000 per sum.
   */
  costPico(model: string, usage: TokenUsage, route: Route = 'sync'): number {
    const p = this.priceOf(model);
    const factor = route === 'batch' ? BATCH_DISCOUNT : 1;
    const uncached = Math.max(0, usage.promptTokens - usage.cachedTokens);
    const perToken = (usdPerMillion: number) => Math.round(usdPerMillion * 1e6 * factor);
    return (
      uncached * perToken(p.input) +
      usage.cachedTokens * perToken(p.cachedInput) +
      usage.completionTokens * perToken(p.output)
    );
  }

  costUsd(model: string, usage: TokenUsage, route: Route = 'sync'): number {
    return picoToUsd(this.costPico(model, usage, route));
  }
}
