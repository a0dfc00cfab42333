import type { RunInput, RunSummary } from '../shared/messages';
import { batchPass } from './run/batch-phase';
import { nearDuplicatePhase } from './run/dedup-phase';
import { finishPhase } from './run/finish-phase';
import { registerRunHandlers } from './run/handlers';
import { planPhase } from './run/plan-phase';
import { newRunState } from './run/state';
import { continueWithRest, syncPass } from './run/sync-phase';

/**
 * The daily run: plan the feed, score it in shard children through a bounded window, and
 * summarise. History holds ids and counts only. Each execution starts at most
 * `shardsPerExecution` shards, then continues as new with its running totals, so a run of
 * any size keeps every history far below Temporal's limits.
 *
 * The phases live in src/workflows/run/, one module each; the recorded histories in
 * test/fixtures/histories pin the order of their commands.
 */
export async function dailyScoringRun(input: RunInput): Promise<RunSummary> {
  const run = newRunState(input);
  registerRunHandlers(run);
  if (!input.carry) {
    await planPhase(run);
    await nearDuplicatePhase(run);
    run.view.phase = 'scoring';
    run.view.scoringStartedAt = Date.now();
  }
  await batchPass(run);
  const nextShard = await syncPass(run);
  if (nextShard < run.view.shardsTotal) return continueWithRest(run, nextShard);
  return finishPhase(run);
}
