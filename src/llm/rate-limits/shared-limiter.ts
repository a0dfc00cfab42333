import type { Store } from '../../store/store';
import type { ProviderLimits } from './headers';

/** Where a limit came from: the operator's configuration, or the provider's own headers. */
export type LimitSource = 'configured' | 'learned';

export interface LimitChange {
  model: string;
  tokensPerMinute: number;
  requestsPerMinute: number | undefined;
  /** Mean tokens the provider charges per call (prompt + output allowance), as seen so far. */
  meanTokensPerCall: number;
  source: LimitSource;
}

export interface Reservation {
  model: string;
  tokens: number;
  /** Milliseconds to wait before sending, so the shared bucket is not overdrawn. */
  waitMs: number;
}

export interface SharedLimiterOptions {
  /** Tokens per minute per model set by the operator; a model without one learns it. */
  configuredTpm?: Record<string, number>;
  /** Called when a model's limit or mean call size changes enough to retune the task queue. */
  onChange?: (change: LimitChange) => void;
  /** How often a model with no known limit asks the store whether another worker learned one. */
  recheckMs?: number;
  now?: () => number;
}

const bucketKey = (model: string) => `tpm:${model}`;
const PROBE_TIMEOUT_MS = 30_000;

/**
 * The tokens-per-minute limit of each model, held for the whole cluster in the store's token
 * bucket (src/store/token-bucket.ts). A call reserves its estimate before it is sent and
 * settles afterwards to what the provider charged; the provider's headers teach the limit
 * when none is configured and pull the bucket down to the provider's remaining count, so the
 * workers slow down before the provider has to refuse them.
 *
 * The provider charges a call at admission as its prompt tokens plus the whole output
 * allowance (`max_completion_tokens`), whatever the answer's length, so that is what is
 * reserved and settled: the prompt estimate is corrected to the counted prompt tokens.
 */
export class SharedTokenLimiter {
  private readonly learned = new Map<string, { tpm: number; rpm: number | undefined }>();
  private readonly lastCheck = new Map<string, number>();
  /** Per model: counted prompt tokens per estimated one, and charged tokens per call (EWMAs). */
  private readonly ratio = new Map<string, number>();
  private readonly meanCharge = new Map<string, number>();
  private readonly announced = new Map<string, { tpm: number; mean: number }>();
  private readonly now: () => number;
  /** Models whose provider answered without rate-limit headers: nothing to learn, no probing. */
  private readonly unlimited = new Set<string>();
  private readonly probes = new Map<string, Promise<void>>();
  private readonly probeDone = new Map<string, () => void>();

  constructor(
    private readonly store: Store,
    private readonly o: SharedLimiterOptions = {},
  ) {
    this.now = o.now ?? Date.now;
    for (const [model, tpm] of Object.entries(o.configuredTpm ?? {}))
      if (!(tpm > 0)) throw new Error(`tokens per minute for ${model} must be positive, got ${tpm}`);
  }

  /** The limit this process knows for `model`, and where it came from. */
  limitOf(model: string): { tpm: number; source: LimitSource } | undefined {
    const configured = this.o.configuredTpm?.[model];
    if (configured) return { tpm: configured, source: 'configured' };
    const l = this.learned.get(model);
    return l ? { tpm: l.tpm, source: 'learned' } : undefined;
  }

  /** Reserves the call's tokens in the shared bucket: its prompt estimate plus its output allowance. */
  async reserve(model: string, promptEstimate: number, maxOutputTokens: number): Promise<Reservation> {
    // Until the provider has counted a prompt, assume the worst: a token per character (the
    // estimate is a quarter of that). The first settlement refunds the excess.
    const tokens = Math.ceil(promptEstimate * (this.ratio.get(model) ?? 4)) + maxOutputTokens;
    let known = this.limitOf(model);
    if (!known && !this.unlimited.has(model)) {
      await this.probe(model);
      known = this.limitOf(model);
    }
    if (!known && !this.dueForRecheck(model)) return { model, tokens: 0, waitMs: 0 };
    const taken = await this.store.takeTokens(bucketKey(model), tokens, this.o.configuredTpm?.[model]);
    if (taken.perMinute === undefined) return { model, tokens: 0, waitMs: 0 };
    if (!known) this.learned.set(model, { tpm: taken.perMinute, rpm: undefined });
    // Before any call has settled, tune the queue to this (worst-case) size at once: the
    // queue's default rate would otherwise dispatch a burst the bucket makes wait for minutes.
    if (!this.meanCharge.has(model)) this.maybeAnnounce(model, undefined, tokens);
    return { model, tokens, waitMs: taken.waitMs };
  }

  /** Gives a reservation back whole: the call it was for will not be sent now. */
  async release(r: Reservation): Promise<void> {
    if (r.tokens > 0) await this.store.observeTokens(bucketKey(r.model), { deltaTokens: r.tokens });
  }

  /**
   * Settles a reservation to what the provider charged (`promptTokens` counted by it, plus the
   * allowance), and takes in what its headers say. A call that never reached the provider
   * (`promptTokens` undefined, no headers) gives its whole reservation back.
   */
  async settle(
    r: Reservation,
    promptEstimate: number,
    maxOutputTokens: number,
    promptTokens: number | undefined,
    limits: ProviderLimits | undefined,
  ): Promise<void> {
    const charged = promptTokens === undefined ? 0 : promptTokens + maxOutputTokens;
    if (promptTokens !== undefined && promptEstimate > 0) {
      this.ratio.set(r.model, ewma(this.ratio.get(r.model), promptTokens / promptEstimate));
      this.meanCharge.set(r.model, ewma(this.meanCharge.get(r.model), charged));
    }
    const configured = this.o.configuredTpm?.[r.model];
    const headerTpm = limits?.limitTokens;
    const perMinute = configured ?? headerTpm ?? this.learned.get(r.model)?.tpm;
    if (!configured && headerTpm) this.learned.set(r.model, { tpm: headerTpm, rpm: limits?.limitRequests });
    this.endProbe(r.model, perMinute !== undefined || promptTokens === undefined);
    // An unreserved call (sent before the limit was known) is charged here, unless the
    // provider's remaining count, which already includes it, comes with the answer.
    const unreserved = limits?.remainingTokens !== undefined || perMinute === undefined ? 0 : -charged;
    const delta = r.tokens > 0 ? r.tokens - charged : unreserved;
    if (perMinute !== undefined && (delta !== 0 || limits?.remainingTokens !== undefined)) {
      await this.store.observeTokens(bucketKey(r.model), {
        deltaTokens: delta,
        perMinute,
        ...(limits?.remainingTokens !== undefined ? { remaining: limits.remainingTokens } : {}),
      });
    }
    this.maybeAnnounce(r.model, limits?.limitRequests);
  }

  /**
   * While nothing is known of a model's limit, one call per process goes out at a time: its
   * answer's headers teach the limit before a burst can overdraw the provider. A provider that
   * sends no headers ends the probing after one call.
   */
  private async probe(model: string): Promise<void> {
    for (;;) {
      const inFlight = this.probes.get(model);
      if (!inFlight) break;
      // A probe whose settlement never came (its activity failed before settling) gives up its
      // turn after PROBE_TIMEOUT_MS rather than holding every later call of the model.
      const timedOut = await Promise.race([
        inFlight.then(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(true), PROBE_TIMEOUT_MS).unref()),
      ]);
      if (timedOut && this.probes.get(model) === inFlight) this.endProbe(model, true);
      if (this.limitOf(model) || this.unlimited.has(model)) return;
    }
    let done = () => {};
    this.probes.set(model, new Promise<void>((resolve) => (done = resolve)));
    this.probeDone.set(model, done);
  }

  private endProbe(model: string, learned: boolean): void {
    const done = this.probeDone.get(model);
    if (!done) return;
    if (!learned) this.unlimited.add(model);
    this.probeDone.delete(model);
    this.probes.delete(model);
    done();
  }

  private dueForRecheck(model: string): boolean {
    const t = this.now();
    const last = this.lastCheck.get(model);
    if (last !== undefined && t - last < (this.o.recheckMs ?? 10_000)) return false;
    this.lastCheck.set(model, t);
    return true;
  }

  /** Tells the owner when the limit or the mean call size moved by more than 5%. */
  private maybeAnnounce(model: string, rpm: number | undefined, guess?: number): void {
    const known = this.limitOf(model);
    const mean = this.meanCharge.get(model) ?? guess;
    if (!known || mean === undefined || !this.o.onChange) return;
    const prev = this.announced.get(model);
    if (
      prev &&
      Math.abs(prev.tpm - known.tpm) / prev.tpm < 0.05 &&
      Math.abs(prev.mean - mean) / prev.mean < 0.05
    )
      return;
    this.announced.set(model, { tpm: known.tpm, mean });
    this.o.onChange({
      model,
      tokensPerMinute: known.tpm,
      requestsPerMinute: rpm ?? this.learned.get(model)?.rpm,
      meanTokensPerCall: mean,
      source: known.source,
    });
  }
}

function ewma(prev: number | undefined, sample: number): number {
  return prev === undefined ? sample : prev * 0.9 + sample * 0.1;
}
