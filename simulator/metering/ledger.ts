import { embeddingCostNano, type EmbeddingModel } from '../embeddings/embeddings';
import type { ModelName } from '../shared/models';
import { costNanoUsd, type TokenUsage } from '../shared/pricing';

/** Chat models and embedding models share the bill. */
export type BilledModel = ModelName | EmbeddingModel;

export interface LedgerEntry {
  requests: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  /** Exact amount in nano-USD (1e-9 USD); `usd` is derived from it. */
  nanoUsd: number;
  usd: number;
}

/** How a billed call reached the provider: `sync` is /v1/chat/completions, `batch` a batch line. */
export type LedgerRoute = 'sync' | 'batch';

export interface LedgerSection {
  models: Partial<Record<BilledModel, LedgerEntry>>;
  total: LedgerEntry;
}

/**
 * The provider's bill: only billed (HTTP 200) completions count. `models` and `total` cover every
 * route; `routes` splits the same calls so the pipeline can check its own accounting per route.
 */
export interface Ledger extends LedgerSection {
  routes: Record<LedgerRoute, LedgerSection>;
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

class Section {
  private models = new Map<BilledModel, LedgerEntry>();
  private total = empty();

  add(model: BilledModel, usage: TokenUsage, nano: number): void {
    let entry = this.models.get(model);
    if (!entry) {
      entry = empty();
      this.models.set(model, entry);
    }
    add(entry, usage, nano);
    add(this.total, usage, nano);
  }

  snapshot(): LedgerSection {
    const models: LedgerSection['models'] = {};
    for (const [model, entry] of this.models) models[model] = { ...entry };
    return { models, total: { ...this.total } };
  }
}

export class LedgerBook {
  private all = new Section();
  private routes = { sync: new Section(), batch: new Section() };

  /**
   * Records one billed call; `discount` is 0.5 for batch lines. Returns its cost in nano-USD.
   * The route defaults from the discount, so only a discounted call counts as batch.
   */
  bill(
    model: ModelName,
    usage: TokenUsage,
    discount = 1,
    route: LedgerRoute = discount < 1 ? 'batch' : 'sync',
  ): number {
    const nano = costNanoUsd(model, usage, discount);
    this.all.add(model, usage, nano);
    this.routes[route].add(model, usage, nano);
    return nano;
  }

  /** Records one billed embeddings request (one batch line is one request, at half price). */
  billEmbedding(model: EmbeddingModel, promptTokens: number, route: LedgerRoute = 'sync'): number {
    const nano = embeddingCostNano(model, promptTokens, route === 'batch' ? 0.5 : 1);
    const usage = { promptTokens, cachedTokens: 0, completionTokens: 0 };
    this.all.add(model, usage, nano);
    this.routes[route].add(model, usage, nano);
    return nano;
  }

  snapshot(): Ledger {
    return {
      ...this.all.snapshot(),
      routes: { sync: this.routes.sync.snapshot(), batch: this.routes.batch.snapshot() },
    };
  }

  reset(): void {
    this.all = new Section();
    this.routes = { sync: new Section(), batch: new Section() };
  }
}
