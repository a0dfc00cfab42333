import type { ModelName } from './models';
import { costNanoUsd, type TokenUsage } from './pricing';

export interface LedgerEntry {
  requests: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  /** Exact amount in nano-USD (1e-9 USD); `usd` is derived from it. */
  nanoUsd: number;
  usd: number;
}

/** The provider's bill: only billed (HTTP 200) completions count. */
export interface Ledger {
  models: Partial<Record<ModelName, LedgerEntry>>;
  total: LedgerEntry;
}

const empty = (): LedgerEntry => ({
  requests: 0,
  promptTokens: 0,
  cachedTokens: 0,
  completionTokens: 0,
  nanoUsd: 0,
  usd: 0,
});

function add(entry: LedgerEntry, usage: TokenUsage, nano: number): void {
  entry.requests += 1;
  entry.promptTokens += usage.promptTokens;
  entry.cachedTokens += usage.cachedTokens;
  entry.completionTokens += usage.completionTokens;
  entry.nanoUsd += nano;
  entry.usd = entry.nanoUsd / 1e9;
}

export class LedgerBook {
  private models = new Map<ModelName, LedgerEntry>();
  private total = empty();

  /** Records one billed call; `discount` is 0.5 for batch lines. Returns its cost in nano-USD. */
  bill(model: ModelName, usage: TokenUsage, discount = 1): number {
    const nano = costNanoUsd(model, usage, discount);
    let entry = this.models.get(model);
    if (!entry) {
      entry = empty();
      this.models.set(model, entry);
    }
    add(entry, usage, nano);
    add(this.total, usage, nano);
    return nano;
  }

  snapshot(): Ledger {
    const models: Ledger['models'] = {};
    for (const [model, entry] of this.models) models[model] = { ...entry };
    return { models, total: { ...this.total } };
  }

  reset(): void {
    this.models.clear();
    this.total = empty();
  }
}
