import type { WorkflowHandle } from '@temporalio/client';
import cliProgress from 'cli-progress';
import type { RunProgress } from '../shared/messages';
import { progressQuery } from '../workflows/definitions';
import { int, usd } from './format';
import { WorkflowTaskWatch, type TaskHealth } from './task-health';

export interface FollowOptions {
  intervalMs?: number;
  tty?: boolean;
  /**
   * What to do when the run's workflow task keeps failing: `fail` (for `run`) prints the cause
   * and gives up following after `stuckGraceMs`; `warn` (for `progress --watch`) keeps watching.
   */
  onStuck?: 'fail' | 'warn';
  stuckGraceMs?: number;
  /** How often the workflow is described to look at its workflow task (default 2 s). */
  healthEveryMs?: number;
  warn?: (line: string) => void;
  /** Where plain status lines go (the feed wait); default stderr. */
  log?: (line: string) => void;
}

export class RunStuckError extends Error {
  override name = 'RunStuckError';
}

/**
 * Draws a live progress bar from the workflow's progress query until the run ends. The
 * query is answered by the workflow itself, so what the bar shows is what Temporal knows.
 * Every few seconds it also looks at the workflow task: a task that fails over and over (a
 * missing search attribute, a non-deterministic change) never lets the query answer, and
 * would otherwise leave the bar blank forever.
 */
export async function followRun(handle: WorkflowHandle, opts: FollowOptions = {}): Promise<void> {
  const tty = opts.tty ?? process.stderr.isTTY;
  const warn = opts.warn ?? ((line: string) => process.stderr.write(`\n${line}\n`));
  const interval = opts.intervalMs ?? 400;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let waitingShown = '';
  const bar = new cliProgress.SingleBar(
    {
      format:
        '{phase} |{bar}| {value}/{total} listings · {scored} scored · {dead} dead-lettered · {inFlight} in flight · {cost} · {status}',
      barCompleteChar: '█',
      barIncompleteChar: '░',
      hideCursor: true,
      noTTYOutput: !tty,
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const describe = await handle.describe();
  if (describe.status.name !== 'RUNNING') return;
  const watch = new WorkflowTaskWatch(handle, { graceMs: opts.stuckGraceMs ?? 30_000 });
  let nextHealthAt = Date.now() + (opts.healthEveryMs ?? 2000);
  try {
    for (;;) {
      if (Date.now() >= nextHealthAt) {
        nextHealthAt = Date.now() + (opts.healthEveryMs ?? 2000);
        const health = await watch.check();
        if (health.news) warn(health.news);
        if (health.stuckFor !== null && opts.onStuck !== 'warn' && health.stuckFor >= watch.graceMs) {
          throw new RunStuckError(stuckMessage(handle.workflowId, health));
        }
        if (health.closed) break;
      }
      let p: RunProgress;
      try {
        // Bounded: a query to a run whose workflow task keeps failing waits for an answer that never comes.
        p = await handle.client.withDeadline(Date.now() + 10_000, () => handle.query(progressQuery));
      } catch {
        // The run closed between two polls (or continued as new and is restarting), or its
        // workflow task is failing (the health check above says so): check and go on.
        const d = await handle.describe();
        if (d.status.name !== 'RUNNING' && d.status.name !== 'CONTINUED_AS_NEW') break;
        await sleep(interval);
        continue;
      }
      if (p.feedWait && waitingShown !== p.feedWait.path) {
        waitingShown = p.feedWait.path;
        log(
          `waiting for the feed file ${p.feedWait.path} (the run fails at ${p.feedWait.until} if it is still missing)`,
        );
      }
      const payload = barFields(p, Date.now());
      const done = p.scored + p.deadLettered;
      if (!started && p.planned > 0) {
        bar.start(p.planned, done, payload);
        started = true;
      } else if (started) {
        bar.update(done, payload);
      }
      if (p.phase === 'done') break;
      await sleep(interval);
    }
  } finally {
    if (started) bar.stop();
  }
}

function stuckMessage(workflowId: string, h: TaskHealth): string {
  return (
    `${h.summary ?? 'workflow task failing'}\n` +
    `Stopped following ${workflowId} after its workflow task failed for ${Math.round((h.stuckFor ?? 0) / 1000)} s. ` +
    'The run is still open: Temporal retries the task, and it resumes once the cause is fixed ' +
    `(watch it with: scoreline progress ${workflowId} --watch), or end it with: temporal workflow terminate --workflow-id ${workflowId}`
  );
}

/**
 * The bar's text for one progress answer. The bar's own ETA is not used: it extrapolates the
 * bar's rate, which is zero while batches wait at the provider (it printed "ETA NFs"), so the
 * estimate comes from the workflow's, and each phase says what it is waiting for instead.
 */
export function barFields(
  p: RunProgress,
  now: number,
): { phase: string; scored: string; dead: string; inFlight: string; cost: string; status: string } {
  return {
    phase: p.phase.padEnd(9),
    scored: int(p.scored),
    dead: int(p.deadLettered),
    inFlight: int(p.inFlight),
    cost: `${usd(p.costUsd)}${p.phase === 'done' || p.phase === 'quarantined' ? '' : ' so far'}`,
    // Not `eta`: cli-progress fills that token with its own estimate, whatever the payload says.
    status: etaText(p, now),
  };
}

export function etaText(p: RunProgress, now: number): string {
  switch (p.phase) {
    case 'waiting_for_feed':
      return p.feedWait ? `waiting for ${p.feedWait.path} until ${p.feedWait.until}` : 'waiting for the feed';
    case 'planning':
      return 'reading the feed';
    case 'batch': {
      const b = p.batch;
      if (!b || b.batches === 0) return 'batch: submitting';
      // The Batch API promises no finish time, so there is no honest ETA to show.
      return `batch: ${int(b.completed + b.failed)}/${int(b.lines)} answered, waiting for the provider`;
    }
    case 'scoring': {
      if (p.shardsWaitingForBudget > 0) return 'waiting for budget (budget raise / budget finish)';
      if (p.shardsInOutage > 0) return 'provider outage: probing';
      if (!p.estimatedFinishAt) return 'ETA estimating…';
      return `ETA ${humanEta(Date.parse(p.estimatedFinishAt) - now)}`;
    }
    case 'finishing':
      return 'finishing: summary and drift gate';
    case 'quarantined':
      return 'quarantined: waiting for review';
    case 'done':
      return 'done';
  }
}

/** 45s, 3m 05s, 2h 10m: a countdown, not a timestamp. */
export function humanEta(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/**
 * The reason a run failed, as a user can act on it: the innermost cause's message (a feed
 * fault's names the path or the counts), not the SDK's "Workflow execution failed".
 */
export function runFailureMessage(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
