import { BatchStore } from './batch/batch-store';
import { generateChat, type ChatOutcome, type CompletionResult } from './chat/chat';
import { isApiError, prepareChat, type PreparedChat } from './chat/chat-request';
import { applyConfigPatch, DEFAULT_CONFIG, type SimulatorConfig } from './shared/config';
import type { ApiError } from './shared/errors';
import { FileStore } from './files/file-store';
import { LedgerBook, type LedgerRoute } from './metering/ledger';
import { Prng } from './shared/prng';
import { PromptCache } from './chat/prompt-cache';
import { RateLimiter } from './metering/rate-limit';
import { StatsTracker } from './metering/stats';

/** Remembering every body forever would leak; past this many we start counting afresh. */
const MAX_TRACKED_BODIES = 200_000;

/**
 * The simulated provider's state and model, independent of HTTP: config, ledger, stats, rate
 * limiter, prompt cache, the per-body attempt counter, stored files and batches. The HTTP server drives it per request;
 * the batch processor can call `complete` per JSONL line.
 */
export class SimulatorEngine {
  config: SimulatorConfig;
  readonly ledger = new LedgerBook();
  readonly stats = new StatsTracker();
  readonly limiter = new RateLimiter();
  readonly promptCache = new PromptCache();
  readonly files: FileStore;
  readonly batches: BatchStore;
  private readonly seen = new Map<string, number>();

  constructor(
    readonly seed: number,
    patch?: unknown,
  ) {
    this.config = patch === undefined ? DEFAULT_CONFIG : applyConfigPatch(DEFAULT_CONFIG, patch);
    this.files = new FileStore(seed);
    this.batches = new BatchStore(this, this.files);
  }

  /** Validates and applies a merge patch; throws ConfigError naming the bad field. */
  configure(patch: unknown): SimulatorConfig {
    this.config = applyConfigPatch(this.config, patch);
    return this.config;
  }

  /** Returns how many times this body was seen before, and counts this sighting. */
  nextAttempt(bodyHash: string): number {
    const attempt = this.seen.get(bodyHash) ?? 0;
    if (this.seen.size >= MAX_TRACKED_BODIES) this.seen.clear();
    this.seen.set(bodyHash, attempt + 1);
    return attempt;
  }

  prepare(body: unknown): PreparedChat | ApiError {
    return prepareChat(body, this.config);
  }

  generate(prepared: PreparedChat, attempt: number, now: number): ChatOutcome {
    return generateChat(prepared, {
      config: this.config,
      seed: this.seed,
      promptCache: this.promptCache,
      now,
      attempt,
    });
  }

  /**
   * One completion without transport: validate, run the model, bill at `discount` (0.5 for
   * batch) on the given ledger route. No rate limits, network faults or latency apply.
   */
  complete(body: unknown, now: number, discount = 1, route?: LedgerRoute): CompletionResult {
    const prepared = this.prepare(body);
    if (isApiError(prepared)) return { ok: false, error: prepared };
    const attempt = this.nextAttempt(prepared.bodyHash);
    const outcome = this.generate(prepared, attempt, now);
    this.ledger.bill(prepared.model, outcome.usage, discount, route);
    return { ok: true, prepared, outcome, attempt };
  }

  /** Lognormal latency from the model's median and p95 (p95 = median·e^(1.645σ)), times latencyScale. */
  latencyMs(prepared: PreparedChat, attempt: number): number {
    const scale = this.config.latencyScale;
    const profile = this.config.latency[prepared.model];
    if (scale === 0 || !profile || profile.medianMs === 0) return 0;
    const sigma = profile.p95Ms > profile.medianMs ? Math.log(profile.p95Ms / profile.medianMs) / 1.645 : 0;
    const z = new Prng(this.seed, 'latency', prepared.bodyHash, attempt).normal();
    return Math.round(profile.medianMs * Math.exp(sigma * z) * scale);
  }

  resetLedger(): void {
    this.ledger.reset();
  }
}
