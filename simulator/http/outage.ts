import type { SimStats } from '../metering/stats';

export type OutageMode = '503' | 'refuse';

interface ActiveOutage {
  mode: OutageMode;
  startedAt: number;
  endsAt: number;
  timer: NodeJS.Timeout;
}

export interface OutageHooks {
  /** Stop accepting connections (refuse mode starts). */
  refuse(): void;
  /** Accept connections again on the same port (refuse mode ends). */
  restore(): Promise<void>;
  /** Called when an outage ends, early or on time, so the config can forget it. */
  ended(): void;
}

/** A timed provider outage: either every request gets 503, or the port stops listening. */
export class OutageController {
  private active: ActiveOutage | undefined;
  private pastMs = 0;

  constructor(private readonly hooks: OutageHooks) {}

  start(mode: OutageMode, durationMs: number, now = Date.now()): void {
    this.end(now, false);
    const timer = setTimeout(() => this.end(Date.now(), true), durationMs);
    // A 503 outage keeps the listener (and so the process) alive; a refusing one closes it, and
    // then this timer is all that keeps a standalone simulator running until the outage ends.
    if (mode !== 'refuse') timer.unref();
    this.active = { mode, startedAt: now, endsAt: now + durationMs, timer };
    if (mode === 'refuse') this.hooks.refuse();
  }

  /** Ends the current outage, if any; `notify` tells the config (false when replaced or closing). */
  end(now = Date.now(), notify = true): void {
    const active = this.active;
    if (!active) return;
    clearTimeout(active.timer);
    this.active = undefined;
    this.pastMs += Math.max(0, Math.min(now, active.endsAt) - active.startedAt);
    if (active.mode === 'refuse') void this.hooks.restore();
    if (notify) this.hooks.ended();
  }

  /** Ends without restoring anything: the simulator is shutting down. */
  dispose(): void {
    if (this.active) clearTimeout(this.active.timer);
    this.active = undefined;
  }

  serving503(): boolean {
    return this.active?.mode === '503';
  }

  snapshot(now = Date.now()): SimStats['outage'] {
    const a = this.active;
    return {
      active: a !== undefined,
      mode: a?.mode ?? null,
      endsAt: a ? new Date(a.endsAt).toISOString() : null,
      totalMs: this.pastMs + (a ? now - a.startedAt : 0),
    };
  }
}
