import type { WorkflowHandle } from '@temporalio/client';
import cliProgress from 'cli-progress';
import type { RunProgress } from '../shared/messages';
import { progressQuery } from '../workflows/definitions';
import { int, usd } from './format';

/**
 * Draws a live progress bar from the workflow's progress query until the run ends. The
 * query is answered by the workflow itself, so what the bar shows is what Temporal knows.
 */
export async function followRun(
  handle: WorkflowHandle,
  opts: { intervalMs?: number; tty?: boolean; log?: (line: string) => void } = {},
): Promise<void> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const tty = opts.tty ?? process.stderr.isTTY;
  const bar = new cliProgress.SingleBar(
    {
      format:
        '{phase} |{bar}| {value}/{total} listings · {scored} scored · {dead} dead-lettered · {inFlight} in flight · {cost} · ETA {eta_formatted}',
      barCompleteChar: '█',
      barIncompleteChar: '░',
      hideCursor: true,
      etaBuffer: 50,
      noTTYOutput: !tty,
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const describe = await handle.describe();
  if (describe.status.name !== 'RUNNING') return;
  // A closed run still answers the query (from its history), so a failed run would be followed
  // forever at its last phase; its result settling is what ends the loop.
  let closed = false;
  const settled = handle.result().then(
    () => (closed = true),
    () => (closed = true),
  );
  let waitingShown = '';
  for (;;) {
    if (closed) break;
    let p: RunProgress;
    try {
      p = await handle.query(progressQuery);
    } catch {
      // The run closed between two polls (or continued as new and is restarting): check and go on.
      const d = await handle.describe();
      if (d.status.name !== 'RUNNING' && d.status.name !== 'CONTINUED_AS_NEW') break;
      await sleep(opts.intervalMs ?? 400);
      continue;
    }
    const payload = {
      phase: p.phase.padEnd(9),
      scored: int(p.scored),
      dead: int(p.deadLettered),
      inFlight: int(p.inFlight),
      cost: usd(p.costUsd),
    };
    if (p.feedWait && waitingShown !== p.feedWait.path) {
      waitingShown = p.feedWait.path;
      log(
        `waiting for the feed file ${p.feedWait.path} (the run fails at ${p.feedWait.until} if it is still missing)`,
      );
    }
    const done = p.scored + p.deadLettered;
    if (!started && p.planned > 0) {
      bar.start(p.planned, done, payload);
      started = true;
    } else if (started) {
      bar.update(done, payload);
    }
    if (p.phase === 'done') break;
    await sleep(opts.intervalMs ?? 400);
  }
  if (started) bar.stop();
  void settled;
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
