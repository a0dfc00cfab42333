import type { BatchStats } from '../batch/batch-types';

export interface SimStats {
  totalRequests: number;
  inFlight: number;
  byStatus: Record<string, number>;
  /** Error responses by OpenAI error `type` (e.g. requests, tokens, server_error). */
  byErrorType: Record<string, number>;
  rateLimited: { requests: number; tokens: number; random: number; insufficientQuota: number };
  /** The most chat requests received for each model within any 60-second window. */
  maxRequestsPer60s: Record<string, number>;
  connectionsReset: number;
  hangs: number;
  outage: { active: boolean; mode: '503' | 'refuse' | null; endsAt: string | null; totalMs: number };
  /** Batches by status and what happened to their lines; batch lines are not counted as requests. */
  batches: BatchStats;
}

const NO_BATCHES: BatchStats = {
  byStatus: {},
  linesProcessed: 0,
  lines: { succeeded: 0, failed: 0, expired: 0, cancelled: 0 },
};

const WINDOW_MS = 60_000;

export class StatsTracker {
  totalRequests = 0;
  inFlight = 0;
  connectionsReset = 0;
  hangs = 0;
  private byStatus: Record<string, number> = {};
  private byErrorType: Record<string, number> = {};
  private rateLimited = { requests: 0, tokens: 0, random: 0, insufficientQuota: 0 };
  /** Arrival times inside the current window per model; bounded by one minute of traffic. */
  private arrivals = new Map<string, number[]>();
  private maxPerWindow: Record<string, number> = {};

  arrived(model: string, now: number): void {
    let times = this.arrivals.get(model);
    if (!times) {
      times = [];
      this.arrivals.set(model, times);
    }
    times.push(now);
    let drop = 0;
    while (drop < times.length && (times[drop] as number) <= now - WINDOW_MS) drop++;
    if (drop > 0) times.splice(0, drop);
    this.maxPerWindow[model] = Math.max(this.maxPerWindow[model] ?? 0, times.length);
  }

  responded(status: number, errorType?: string): void {
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    if (errorType) this.byErrorType[errorType] = (this.byErrorType[errorType] ?? 0) + 1;
  }

  rateLimitedBy(kind: keyof SimStats['rateLimited']): void {
    this.rateLimited[kind] += 1;
  }

  snapshot(outage: SimStats['outage'], batches: BatchStats = NO_BATCHES): SimStats {
    return {
      totalRequests: this.totalRequests,
      inFlight: this.inFlight,
      byStatus: { ...this.byStatus },
      byErrorType: { ...this.byErrorType },
      rateLimited: { ...this.rateLimited },
      maxRequestsPer60s: { ...this.maxPerWindow },
      connectionsReset: this.connectionsReset,
      hangs: this.hangs,
      outage,
      batches,
    };
  }
}
