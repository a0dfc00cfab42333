import { ApplicationFailure, patched, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { FeedErrorType } from '../../shared/messages';
import { searchAttributes as SA } from '../definitions';
import { show, type RunState } from './state';
import { feedExists, planRun, setBudgets } from './steps';

/**
 * The first execution's opening: the run's budgets, the feed file (waited for), and the plan.
 * Continued executions carry the plan and skip this.
 */
export async function planPhase(s: RunState): Promise<void> {
  const { input, opts, runId, view } = s;
  upsertSearchAttributes([{ key: SA.RunDate, value: opts.runDate }]);
  show(s);
  if (input.budgetUsd !== undefined || input.dailyBudgetUsd !== undefined) {
    await setBudgets({
      runId,
      runDate: opts.runDate,
      budgetUsd: input.budgetUsd,
      dailyBudgetUsd: input.dailyBudgetUsd,
    });
  }
  if (!input.rerunOf && patched('feed-wait')) await waitForFeed(s, opts.feedWaitMs);
  // The raw input's optional fields, as before: planRun applies its own defaults to them.
  view.plan = await planRun({
    runId,
    runDate: opts.runDate,
    feedPath: opts.feedPath,
    criteria: input.criteria,
    useCache: input.useCache,
    rerunOf: input.rerunOf,
    canaries: opts.canaries,
    feed: input.feed,
  });
}

/**
 * A late upstream export: poll for the file on a durable timer, in view of progress and the
 * UI, then fail for good with the path, instead of failing at once or retrying a raw ENOENT.
 */
async function waitForFeed(s: RunState, waitMs: number): Promise<void> {
  const { feedPath } = s.opts;
  const { view } = s;
  if (await feedExists({ feedPath })) return;
  const since = Date.now();
  const until = since + waitMs;
  const pollMs = Math.min(30_000, Math.max(1_000, Math.round(waitMs / 20)));
  view.phase = 'waiting_for_feed';
  view.feedWait = {
    path: feedPath,
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
  };
  show(s);
  while (Date.now() < until) {
    await sleep(Math.min(pollMs, until - Date.now()));
    if (await feedExists({ feedPath })) {
      view.phase = 'planning';
      view.feedWait = undefined;
      show(s);
      return;
    }
  }
  throw ApplicationFailure.nonRetryable(
    `feed file ${feedPath} not found: waited ${Math.round(waitMs / 1000)} s for it (feed.waitMs, --feed-wait)`,
    FeedErrorType.NotFound,
    { path: feedPath, waitedMs: waitMs },
  );
}
