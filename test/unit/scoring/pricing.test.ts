import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES, PriceTable, UnknownModelPriceError } from '../../../src/scoring/pricing';

describe('PriceTable', () => {
  const prices = new PriceTable();

  it('prices gpt-4o-mini per OpenAI list price: 1M in + 1M out = $0.75', () => {
    expect(
      prices.costUsd('gpt-4o-mini', { promptTokens: 1e6, cachedTokens: 0, completionTokens: 1e6 }),
    ).toBeCloseTo(0.75, 12);
  });

  it('bills cached prompt tokens at the cached rate and the rest at the input rate', () => {
    // 1,000 prompt tokens of which 512 cached on gpt-4o: 488 × $2.50/M + 512 × $1.25/M + 100 × $10/M
    const usd = prices.costUsd('gpt-4o', { promptTokens: 1000, cachedTokens: 512, completionTokens: 100 });
    expect(usd).toBeCloseTo((488 * 2.5 + 512 * 1.25 + 100 * 10) / 1e6, 15);
  });

  it('halves every token class on the batch route', () => {
    const usage = { promptTokens: 1234, cachedTokens: 256, completionTokens: 77 };
    expect(prices.costPico('gpt-4.1-nano', usage, 'batch') * 2).toBe(
      prices.costPico('gpt-4.1-nano', usage, 'sync'),
    );
  });

  it('keeps costs as exact whole pico-dollars for every listed model, sync and batch', () => {
    for (const model of Object.keys(DEFAULT_PRICES)) {
      for (const route of ['sync', 'batch'] as const) {
        expect(
          Number.isInteger(
            prices.costPico(model, { promptTokens: 999, cachedTokens: 3, completionTokens: 7 }, route),
          ),
        ).toBe(true);
      }
    }
  });

  it('refuses to price an unknown model instead of booking $0', () => {
    expect(() => prices.costUsd('gpt-9', { promptTokens: 1, cachedTokens: 0, completionTokens: 1 })).toThrow(
      UnknownModelPriceError,
    );
  });

  it('lets a deployment override a price', () => {
    const custom = prices.withOverrides({ 'gpt-4o-mini': { input: 1, cachedInput: 1, output: 1 } });
    expect(custom.costUsd('gpt-4o-mini', { promptTokens: 1e6, cachedTokens: 0, completionTokens: 0 })).toBe(
      1,
    );
    expect(
      prices.costUsd('gpt-4o-mini', { promptTokens: 1e6, cachedTokens: 0, completionTokens: 0 }),
    ).toBeCloseTo(0.15, 12);
  });
});
