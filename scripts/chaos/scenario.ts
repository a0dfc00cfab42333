import type { SimulatorConfigPatch } from '../../simulator';

/**
 * Every fault at once, at rates that leave the run finishable in a few minutes on two shared
 * cores. Transport faults are drawn per attempt, so most listings get through on a retry;
 * output faults get one re-ask; a listing fails for good only when its luck runs out twice.
 */
export const CHAOS_SIMULATOR: SimulatorConfigPatch = {
  latencyScale: 0.2,
  // 300 rpm for the small model: the run asks it for ~350 calls a minute on average and ~700 at
  // its peak, so once the full bucket (one minute's allowance) is spent, 429s with Retry-After
  // pace the rest.
  rateLimits: { 'gpt-4o-mini': { rpm: 300, tpm: 150_000_000 } },
  random429Rate: 0.03,
  errorRates: { http500: 0.03, http502: 0.01, http503: 0.01, connectionReset: 0.01, hang: 0.01 },
  // Longer than the call timeout below: a hang is only ever ended by our client.
  hangMs: 15_000,
  outputFaults: { invalidJson: 0.02, schemaViolation: 0.02, refusal: 0.01, truncated: 0.01 },
  // A fooled model answers outside the schema (a score above 10): the validation gate's job.
  injectionOutsideSchema: true,
};

/** The worker's own timeout for one call: a hung call fails after this and is retried. */
export const CHAOS_CALL_TIMEOUT_MS = 5000;

/**
 * Listings in flight per shard (8 shards run at once). The default 25 puts 200 calls on two
 * shared cores at once; answers then queue behind CPU, calls time out for no fault of the
 * provider, and the outage breaker opens on load instead of on the outage.
 */
export const LISTING_CONCURRENCY = 10;

export const CHAOS_FEED = { malformedRate: 0.02, injectionRate: 0.03 };

export const OUTAGE = { mode: 'refuse' as const, durationMs: 15_000 };
/** Long enough that calls in flight meet it, short enough to dead-letter only a handful. */
export const QUOTA_BURST_MS = 1000;
export const SERVER_DOWN_MS = 2000;
/** At least this long between two disruptions, so each one's effect can be told apart. */
export const MIN_GAP_MS = 10_000;
/** No listing finished for this long: the run is stuck, not slow (the longest honest wait, a dead worker's 2-min activity timeout, plus margin). */
export const STUCK_AFTER_MS = 150_000;

/** When each disruption fires, as a fraction of planned listings finished; spaced apart. */
export const AT = {
  killFirst: 0.12,
  quotaBurst: 0.22,
  killSecond: 0.32,
  outage: 0.42,
  serverRestart: 0.55,
  killThird: 0.66,
};
