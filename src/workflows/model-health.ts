import type { ModelQueue } from '../shared/messages';

/** Consecutive failures after which a model is replaced by its fallback for the rest of the shard. */
const FAILURE_STREAK = 5;
/** A model the API says does not exist will not start existing mid-run. */
const FATAL_TYPES = new Set(['LlmModelNotFound']);

/**
 * Tracks each model's failure streak inside a shard (deterministic workflow state) and
 * swaps in the configured fallback once a model keeps failing. A streak only counts against
 * the model while another model is answering: when every model fails at once, the provider
 * is down, and that is the outage breaker's business, not a reason to switch models.
 */
export class ModelHealth {
  private readonly streaks = new Map<string, { failures: number; othersSucceeded: number }>();
  private readonly replaced = new Map<string, ModelQueue>();
  private fallbacks: Record<string, ModelQueue> = {};

  constructor(private readonly onSwitch: (from: string, to: string) => void) {}

  resolve(target: ModelQueue, fallbacks: Record<string, ModelQueue>): ModelQueue {
    this.fallbacks = { ...this.fallbacks, ...fallbacks };
    let current = target;
    // Follow replacements (a fallback may itself have been replaced), never looping.
    for (let hops = 0; hops < 4; hops++) {
      const next = this.replaced.get(current.model);
      if (!next) break;
      current = next;
    }
    return current;
  }

  succeeded(model: string): void {
    this.streaks.delete(model);
    for (const [other, streak] of this.streaks) if (other !== model) streak.othersSucceeded++;
  }

  failed(model: string, errorType: string): void {
    const streak = this.streaks.get(model) ?? { failures: 0, othersSucceeded: 0 };
    streak.failures++;
    this.streaks.set(model, streak);
    const fallback = this.fallbacks[model];
    if (!fallback || this.replaced.has(model)) return;
    const failing =
      FATAL_TYPES.has(errorType) || (streak.failures >= FAILURE_STREAK && streak.othersSucceeded > 0);
    if (failing) {
      this.replaced.set(model, fallback);
      this.onSwitch(model, fallback.model);
    }
  }
}
