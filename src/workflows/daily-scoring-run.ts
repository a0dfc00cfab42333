import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  FEED_DEFAULTS,
  FeedErrorType,
  RUN_DEFAULTS,
  type PlanResult,
  type RunInput,
  type RunSummary,
  type ShardProgress,
} from '../shared/messages';
import type { Publication, ReviewDecision } from '../shared/quality';
import { emptyTotals, mergeTotals } from '../shared/totals';
import { planOptions, storeStepOptions } from './activity-options';
import {
  batchProgressSignal,
  budgetChangedSignal,
  finishEarlyUpdate,
  progressQuery,
  raiseBudgetUpdate,
  reviewRunUpdate,
  searchAttributes as SA,
  shardProgressSignal,
  stopScoringSignal,
} from './definitions';
import { detailsOf, progressOf, type RunView } from './run-progress';
import type { batchScoring } from './batch-scoring';
import type { scoringShard } from './scoring-shard';
import { scheduledDate, stripUndefined } from './run-input';
import { startChildReplacingOrphan } from './start-child';
import { picoToUsd } from '../shared/money';
import { applyNearDuplicates, findNearDuplicates } from './near-duplicates';

const { planRun } = proxyActivities<Activities>(planOptions);
const { finishRun, reviewRun, setBudgets, batchSupported, shardsWithWork } =
  proxyActivities<Activities>(storeStepOptions);
// A stat of one path: quick, and only a broken file system is worth a few retries.
const { feedExists } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    maximumAttempts: 5,
    initialInterval: '1 second',
    nonRetryableErrorTypes: [FeedErrorType.Unreadable],
  },
});

const DEFAULT_DEADLINE_MS = 20 * 3600_000;
const DEFAULT_SYNC_RESERVE_MS = 2 * 3600_000;
const DEFAULT_BATCH_POLL_MS = 60_000;
/** Seq range per submit activity; each range becomes one batch per model (the cap is 50,000 lines). */
const BATCH_RANGE = 25_000;

/**
 * The daily run: plan the feed, score it in shard children through a bounded window, and
 * summarise. History holds ids and counts only. Each execution starts at most
 * `shardsPerExecution` shards, then continues as new with its running totals, so a run of
 * any size keeps every history far below Temporal's limits.
 */
export async function dailyScoringRun(input: RunInput): Promise<RunSummary> {
  const opts = { ...RUN_DEFAULTS, ...stripUndefined(input) };
  const runId = workflowInfo().workflowId;
  const runDate = input.runDate ?? scheduledDate(input.timezone ?? 'UTC');
  const feedPath = input.feedPath.replaceAll('{date}', runDate);
  const carry = input.carry;
  const emptyPlan: PlanResult = {
    lines: 0,
    planned: 0,
    toScore: 0,
    cacheHits: 0,
    rejected: 0,
    rejectedSample: [],
  };
  const view: RunView = {
    runId,
    runDate,
    phase: carry ? 'scoring' : 'planning',
    plan: carry?.plan ?? emptyPlan,
    totals: carry?.totals ?? emptyTotals(),
    running: new Map<number, ShardProgress>(),
    startedAt: carry?.startedAt ?? Date.now(),
    scoringStartedAt: carry?.scoringStartedAt ?? 0,
    shardsDone: carry?.nextShard ?? 0,
    shardsTotal: 0,
    budgetUsd: input.budgetUsd ?? null,
    dailyBudgetUsd: input.dailyBudgetUsd ?? null,
    batch: null,
    batchLive: false,
    drift: null,
  };
  let batchDone = carry?.batchDone ?? false;
  let nextShard = carry?.nextShard ?? 0;
  let stopped = false;
  const finished = new Set<number>();

  const show = () => {
    const p = progressOf(view, Date.now());
    const waiting =
      p.shardsWaitingForBudget > 0 ? 'waiting_for_budget' : p.shardsInOutage > 0 ? 'outage' : p.phase;
    upsertSearchAttributes([
      { key: SA.RunPhase, value: waiting },
      { key: SA.ListingsTotal, value: p.planned },
      { key: SA.ListingsScored, value: view.totals.scored + view.plan.cacheHits },
      { key: SA.ListingsDeadLettered, value: view.totals.deadLettered },
      { key: SA.CostUsd, value: picoToUsd(view.totals.costPico) },
      ...(view.drift ? [{ key: SA.DriftDetected, value: view.drift.drifted }] : []),
    ]);
    setCurrentDetails(detailsOf(p));
  };
  // A late upstream export: poll for the file on a durable timer, in view of progress and the
  // UI, then fail for good with the path, instead of failing at once or retrying a raw ENOENT.
  const waitForFeed = async (waitMs: number) => {
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
    show();
    while (Date.now() < until) {
      await sleep(Math.min(pollMs, until - Date.now()));
      if (await feedExists({ feedPath })) {
        view.phase = 'planning';
        view.feedWait = undefined;
        show();
        return;
      }
    }
    throw ApplicationFailure.nonRetryable(
      `feed file ${feedPath} not found: waited ${Math.round(waitMs / 1000)} s for it (feed.waitMs, --feed-wait)`,
      FeedErrorType.NotFound,
      { path: feedPath, waitedMs: waitMs },
    );
  };
  const tellShards = async (signal: typeof budgetChangedSignal | typeof stopScoringSignal) => {
    await Promise.all(
      [...view.running.keys()].map((i) => getExternalWorkflowHandle(`${runId}/shard-${i}`).signal(signal)),
    );
  };

  setHandler(progressQuery, () => progressOf(view, Date.now()));
  setHandler(shardProgressSignal, (p) => {
    if (finished.has(p.shardIndex)) return;
    const before = view.running.get(p.shardIndex);
    view.running.set(p.shardIndex, p);
    if (before?.outage !== p.outage || before?.budgetBlocked !== p.budgetBlocked) show();
  });
  setHandler(batchProgressSignal, (p) => {
    view.batch = p;
  });
  setHandler(raiseBudgetUpdate, async (change) => {
    await setBudgets({ runId, runDate, ...change });
    if (change.budgetUsd !== undefined) view.budgetUsd = change.budgetUsd;
    if (change.dailyBudgetUsd !== undefined) view.dailyBudgetUsd = change.dailyBudgetUsd;
    await tellShards(budgetChangedSignal);
    for (const p of view.running.values()) p.budgetBlocked = false;
    show();
    return progressOf(view, Date.now());
  });
  // A quarantined run waits for one review; the update answers once the decision is recorded.
  let review: ReviewDecision | undefined;
  let reviewed: Publication | undefined;
  setHandler(
    reviewRunUpdate,
    async (decision) => {
      review = decision;
      await condition(() => reviewed !== undefined);
      return reviewed ?? 'held';
    },
    {
      validator: (decision: ReviewDecision) => {
        if (view.phase !== 'quarantined')
          throw new Error(`run ${runId} is not held for review (phase ${view.phase})`);
        if (review !== undefined) throw new Error(`run ${runId} was already reviewed`);
        if (typeof decision.note !== 'string' || decision.note.trim() === '')
          throw new Error('a review needs a note saying why the scores are approved or rejected');
      },
    },
  );
  setHandler(finishEarlyUpdate, async () => {
    stopped = true;
    await tellShards(stopScoringSignal);
    show();
    return progressOf(view, Date.now());
  });

  if (!carry) {
    upsertSearchAttributes([{ key: SA.RunDate, value: runDate }]);
    show();
    if (input.budgetUsd !== undefined || input.dailyBudgetUsd !== undefined) {
      await setBudgets({ runId, runDate, budgetUsd: input.budgetUsd, dailyBudgetUsd: input.dailyBudgetUsd });
    }
    if (!input.rerunOf && patched('feed-wait')) await waitForFeed(input.feed?.waitMs ?? FEED_DEFAULTS.waitMs);
    view.plan = await planRun({
      runId,
      runDate,
      feedPath,
      criteria: input.criteria,
      useCache: input.useCache,
      rerunOf: input.rerunOf,
      canaries: input.quality?.canaries ?? true,
      feed: input.feed,
    });
    // Near-duplicates are found before any call, so the batch pass and the shards skip them.
    if (
      input.dedup?.mode === 'near' &&
      !input.rerunOf &&
      view.plan.toScore > 0 &&
      patched('near-duplicates')
    ) {
      // On the batch route the embeddings go through the Batch API too, at half price.
      const embedByBatch = input.route === 'batch' || (input.route !== 'sync' && (await batchSupported()));
      view.plan.dedup = await findNearDuplicates(
        runId,
        runDate,
        view.plan.toScore,
        input.dedup,
        embedByBatch ? { pollMs: input.batchPollMs ?? DEFAULT_BATCH_POLL_MS } : undefined,
      );
    }
    view.phase = 'scoring';
    view.scoringStartedAt = Date.now();
  }
  if (!batchDone && view.plan.toScore > 0 && (input.route ?? 'auto') !== 'sync') {
    if (input.route === 'batch' || (await batchSupported())) {
      view.phase = 'batch';
      view.batchLive = true;
      show();
      const deadlineAt = input.deadline ? Date.parse(input.deadline) : view.startedAt + DEFAULT_DEADLINE_MS;
      const batchChild = await startChildReplacingOrphan<typeof batchScoring>('batchScoring', {
        workflowId: `${runId}/batch`,
        args: [
          {
            runId,
            parentWorkflowId: runId,
            toScore: view.plan.toScore,
            rangeSize: BATCH_RANGE,
            cutoffAt: deadlineAt - (input.syncReserveMs ?? DEFAULT_SYNC_RESERVE_MS),
            pollIntervalMs: input.batchPollMs ?? DEFAULT_BATCH_POLL_MS,
            escalateBelow: opts.escalateBelow,
          },
        ],
        staticSummary: `Batch API pass of run ${runDate}`,
      });
      const batchTotals = await batchChild.result();
      mergeTotals(view.totals, batchTotals);
      view.batchLive = false;
      view.phase = 'scoring';
    }
    batchDone = true;
  }
  // The synchronous pass: every shard loads only its still-unfinished listings, so after a
  // batch pass it scores what the batch did not (failed, expired, cut off, invalid, escalated).
  view.shardsTotal = Math.ceil(view.plan.toScore / opts.shardSize);
  show();

  const endShard = Math.min(view.shardsTotal, nextShard + opts.shardsPerExecution);
  const runShard = async (shardIndex: number) => {
    const fromSeq = shardIndex * opts.shardSize;
    const child = await startChildReplacingOrphan<typeof scoringShard>('scoringShard', {
      workflowId: `${runId}/shard-${shardIndex}`,
      args: [
        {
          runId,
          parentWorkflowId: runId,
          shardIndex,
          fromSeq,
          toSeq: Math.min(view.plan.toScore, fromSeq + opts.shardSize),
          listingConcurrency: opts.listingConcurrency,
          maxAttempts: opts.maxAttempts,
          escalateBelow: opts.escalateBelow,
          stopped,
          leanDispatch: true,
        },
      ],
      staticSummary: `Shard ${shardIndex} of run ${runDate}`,
    });
    // Registered only once started, so a stop or budget signal never targets a shard that does not exist yet.
    view.running.set(shardIndex, {
      shardIndex,
      done: 0,
      inFlight: 0,
      scored: 0,
      deadLettered: 0,
      costPico: 0,
      outage: false,
      budgetBlocked: false,
    });
    const result = await child.result();
    finished.add(shardIndex);
    view.running.delete(shardIndex);
    mergeTotals(view.totals, result);
    view.shardsDone++;
    show();
  };
  // Only shards with unfinished listings start: after a batch pass (or a reset) most have none.
  // Executions recorded before this check replay without it.
  const withWork =
    nextShard < endShard && patched('skip-finished-shards')
      ? new Set(
          await shardsWithWork({ runId, shardSize: opts.shardSize, fromShard: nextShard, toShard: endShard }),
        )
      : undefined;
  const lane = async () => {
    while (nextShard < endShard) {
      const shardIndex = nextShard++;
      if (withWork && !withWork.has(shardIndex)) {
        view.shardsDone++;
        continue;
      }
      await runShard(shardIndex);
    }
  };
  await Promise.all(Array.from({ length: opts.maxConcurrentShards }, lane));

  if (endShard < view.shardsTotal) {
    // Let a budget or stop update that is still running finish before the history is cut.
    await condition(allHandlersFinished);
    await continueAsNew<typeof dailyScoringRun>({
      ...input,
      runDate,
      feedPath,
      budgetUsd: view.budgetUsd ?? undefined,
      dailyBudgetUsd: view.dailyBudgetUsd ?? undefined,
      carry: {
        plan: view.plan,
        batchDone,
        nextShard: endShard,
        totals: view.totals,
        startedAt: view.startedAt,
        scoringStartedAt: view.scoringStartedAt,
        executions: (carry?.executions ?? 1) + 1,
      },
    });
  }

  view.phase = 'finishing';
  show();
  // Every representative has its final answer now (escalations included): copy it.
  if (view.plan.dedup) await applyNearDuplicates({ runId });
  let summary = await finishRun({
    runId,
    runDate,
    plan: view.plan,
    totals: view.totals,
    startedAt: new Date(view.startedAt).toISOString(),
    executions: carry?.executions ?? 1,
    quality: input.quality,
    rerun: input.rerunOf !== undefined,
  });
  const verdict = summary.quality;
  if (verdict?.drift) {
    view.drift = {
      drifted: verdict.drift.drifted,
      summary: verdict.drift.summary,
      publication: verdict.publication,
    };
    if (verdict.publication === 'held') {
      view.phase = 'quarantined';
      show();
      await condition(() => review !== undefined);
      summary = await reviewRun({ runId, ...(review as ReviewDecision) });
      reviewed = summary.quality?.publication ?? 'held';
      view.drift.publication = reviewed;
    }
  }
  view.phase = 'done';
  show();
  await condition(allHandlersFinished);
  return summary;
}
