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
  opts: { intervalMs?: number; tty?: boolean } = {},
): Promise<void> {
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
  for (;;) {
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
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
