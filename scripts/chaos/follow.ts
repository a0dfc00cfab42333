import type { WorkflowHandle } from '@temporalio/client';
import type { RunProgress } from '../../src/shared/messages';
import { progressQuery } from '../../src/workflows/definitions';

/** Something to do once the run is this far along (a fraction of planned listings finished). */
export interface Trigger {
  at: number;
  label: string;
  action: () => Promise<void>;
}

export interface FollowOptions {
  triggers: Trigger[];
  /** Called on every answered poll (printing progress, say). */
  onProgress?: (p: RunProgress, fraction: number) => void;
  /** Called when a trigger fires, with the progress that fired it. */
  onTrigger?: (t: Trigger, p: RunProgress) => void;
  pollMs?: number;
  /**
   * Least time between the end of one trigger and the start of the next. Progress arrives in
   * steps (shards report every 20 listings), so thresholds alone could fire two at once.
   */
  minGapMs?: number;
  timeoutMs: number;
  /**
   * Gives up with StuckRunError when no listing finished for this long while the run is past
   * planning. Set it above the LLM step's start-to-close timeout (2 min), which is how long
   * work a SIGKILLed worker held stays stuck before Temporal retries it.
   */
  stuckAfterMs?: number;
}

export class StuckRunError extends Error {
  override name = 'StuckRunError';
  constructor(
    readonly progress: RunProgress,
    readonly stuckMs: number,
  ) {
    super(
      `no listing finished for ${Math.round(stuckMs / 1000)} s at ${progress.scored + progress.deadLettered}/${progress.planned} (phase ${progress.phase})`,
    );
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Listings finished (scored or dead-lettered) over planned; 0 while planning. */
export function doneFraction(p: RunProgress): number {
  return p.planned > 0 ? (p.scored + p.deadLettered) / p.planned : 0;
}

/**
 * A query needs a worker to answer it: while the only worker is dead or the server is down
 * it fails or hangs, so every poll is bounded and a failure is just "no news".
 */
export async function tryProgress(
  handle: WorkflowHandle,
  timeoutMs = 5000,
): Promise<RunProgress | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    return await Promise.race([handle.query(progressQuery).catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls the run's progress query until the run says `done`, firing each trigger (in order of
 * `at`) the first time the run is at least that far and `minGapMs` has passed since the last. Triggers run inline: polling waits while a
 * worker restarts, which is also what an operator's script would do.
 */
export async function followRun(handle: WorkflowHandle, o: FollowOptions): Promise<RunProgress> {
  const pending = [...o.triggers].sort((a, b) => a.at - b.at);
  const deadline = Date.now() + o.timeoutMs;
  let lastTriggerEnd = 0;
  let lastDone = -1;
  let movedAt = Date.now();
  for (;;) {
    if (Date.now() > deadline)
      throw new Error(`run ${handle.workflowId} did not finish in ${o.timeoutMs} ms`);
    const p = await tryProgress(handle);
    if (p) {
      const fraction = doneFraction(p);
      o.onProgress?.(p, fraction);
      if (p.phase === 'done') return p;
      const done = p.scored + p.deadLettered;
      if (done !== lastDone || p.phase === 'planning') [lastDone, movedAt] = [done, Date.now()];
      else if (o.stuckAfterMs && Date.now() - movedAt > o.stuckAfterMs)
        throw new StuckRunError(p, Date.now() - movedAt);
      const next = pending[0];
      if (next && fraction >= next.at && Date.now() - lastTriggerEnd >= (o.minGapMs ?? 0)) {
        pending.shift();
        o.onTrigger?.(next, p);
        await next.action();
        lastTriggerEnd = Date.now();
      }
    }
    await sleep(o.pollMs ?? 500);
  }
}

export interface Stall {
  /** Milliseconds since `origin` when the finished count stopped moving, and when it moved again. */
  fromMs: number;
  toMs: number;
  /** Finished listings during the stall. */
  done: number;
}

/**
 * Records stretches of at least `minMs` in which no listing finished: after a SIGKILL these
 * are the in-flight activities waiting out their start-to-close timeout on a dead worker.
 */
export class StallTracker {
  private lastDone = -1;
  private since = 0;
  readonly stalls: Stall[] = [];

  constructor(
    private readonly origin: number,
    private readonly minMs = 10_000,
  ) {}

  observe(done: number, now = Date.now()): void {
    if (done === this.lastDone) return;
    if (this.lastDone >= 0 && now - this.since >= this.minMs)
      this.stalls.push({ fromMs: this.since - this.origin, toMs: now - this.origin, done: this.lastDone });
    this.lastDone = done;
    this.since = now;
  }

  describe(): string {
    const s = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
    return this.stalls.map((x) => `${s(x.fromMs)}→${s(x.toMs)} at ${x.done} done`).join(', ') || 'none';
  }
}
