import { contentHash } from '../feed/hash';
import { FeedConfigError, validateMapping } from '../feed/mapping';
import { FeedFileError, streamFeedFile } from '../feed/parse';
import { buildScoringRequest, promptHash } from '../scoring/prompt';
import { taskFeatures } from '../scoring/routing';
import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  FeedErrorType,
  PipelineErrorType,
  RUN_DEFAULTS,
  type FeedOptions,
  type PlanResult,
  type PlanRunInput,
  type RerunSource,
  type ShardPlan,
} from '../shared/messages';
import { canaryListings } from '../feed/canaries';
import { defaultCriteria } from '../feed/criteria';
import { CANARY_ID_PREFIX, type PlannedListing } from '../store/store';
import type { ActivityDeps } from './deps';
import { routeOf, routePlanChunk, routeQueues } from './route-model';

const SAMPLE_SIZE = 10;

/**
 * Reads and validates the feed, stores each listing version and the run's plan, and returns
 * counts only: listing text never enters workflow history. A listing whose exact prompt
 * (model, criteria, content, prompt and schema version: all inside the prompt hash) already
 * has a valid answer is a cache hit: the answer is reused and the listing gets a negative seq,
 * so no shard ever visits it. Safe to retry: rows are keyed by (run, seq) and the parse is
 * deterministic.
 */
export function makePlanRun(deps: ActivityDeps) {
  return async function planRun(input: PlanRunInput): Promise<PlanResult> {
    if (input.rerunOf) return planRerun(deps, input, input.rerunOf);
    await deps.store.upsertRun({
      runId: input.runId,
      runDate: input.runDate,
      feedPath: input.feedPath,
      criteria: input.criteria,
      status: 'running',
      startedAt: new Date().toISOString(),
    });
    const ctx = Context.current();
    const task = taskFeatures(input.criteria);
    let toScore = 0;
    let cacheHits = 0;
    const feed = input.feed ?? {};
    const read = streamFeedFile(
      input.feedPath,
      deps.planChunkSize ?? 2000,
      async (listings) => {
        const keyed = listings.map((listing) => {
          // Routed once, here: the route is the cache key's model and goes on the plan row.
          const route = routeOf(deps, task, listing);
          return {
            listing,
            route,
            model: route.model,
            hash: contentHash(listing),
            prompt: promptHash(buildScoringRequest(route.model, input.criteria, listing)),
          };
        });
        const cache =
          input.useCache === false
            ? new Map<string, number>()
            : await deps.store.findValidCalls(
                keyed.map((k) => k.prompt),
                input.runId,
              );
        const chunk: PlannedListing[] = [];
        const hits: Array<{ listingId: string; callId: number; model: string }> = [];
        for (const k of keyed) {
          const callId = cache.get(k.prompt);
          if (callId === undefined) {
            chunk.push({ seq: toScore++, listing: k.listing, contentHash: k.hash, route: k.route });
          } else {
            chunk.push({ seq: -++cacheHits, listing: k.listing, contentHash: k.hash, route: k.route });
            hits.push({ listingId: k.listing.id, callId, model: k.model });
          }
        }
        await deps.store.addPlanChunk(input.runId, chunk);
        for (const hit of hits) {
          await deps.store.persistCachedScore(input.runId, hit.listingId, hit.callId);
          deps.metrics?.cacheHit({ model: hit.model });
        }
        ctx.heartbeat({ toScore, cacheHits });
      },
      { reservedIdPrefix: CANARY_ID_PREFIX, format: feed.format, mapping: checkedMapping(feed) },
    );
    const { accepted, rejected, unknownKeys, languagesDetected } = await read.catch(feedFailure);
    for (const { key, line } of unknownKeys) {
      deps.logger.warn(
        { event: 'feed_unknown_key', runId: input.runId, key, line },
        `feed key "${key}" (first on line ${line}) is not a listing field and was ignored; map it with --map FIELD=${key}`,
      );
    }
    // Before the canaries and before any call: a broken export must not cost a cent.
    checkFeedHealth(input.feedPath, feed, accepted, rejected);
    // The golden listings go last and never through the cache: a reused answer would hide drift.
    // Their bands are written for the default criteria, so other criteria get none; a run of an
    // (allowed) empty feed gets none either, since there is nothing for them to vouch for.
    const canaries =
      input.canaries === true && input.criteria === defaultCriteria && accepted > 0 ? canaryListings() : [];
    if (input.canaries === true && canaries.length === 0) {
      deps.logger.info(
        { event: 'canaries_skipped', runId: input.runId },
        'canaries skipped: their bands are written for the default criteria',
      );
    }
    await deps.store.addPlanChunk(
      input.runId,
      canaries.map((listing) => ({
        seq: toScore++,
        listing,
        contentHash: contentHash(listing),
        route: routeOf(deps, task, listing),
      })),
    );
    await deps.store.addRejectedLines(input.runId, rejected);
    if (rejected.length > 0) {
      deps.logger.warn(
        {
          event: 'feed_rejected',
          runId: input.runId,
          rejected: rejected.length,
          sample: rejected.slice(0, 3),
        },
        `${rejected.length} feed line(s) rejected`,
      );
    }
    deps.logger.info(
      {
        event: 'run_planned',
        runId: input.runId,
        accepted,
        toScore,
        cacheHits,
        canaries: canaries.length,
        languagesDetected,
      },
      'run planned',
    );
    return {
      lines: accepted + rejected.length,
      planned: accepted + canaries.length,
      toScore,
      cacheHits,
      rejected: rejected.length,
      rejectedSample: rejected.slice(0, SAMPLE_SIZE).map((r) => r.reason),
      canaries: canaries.length,
      ...(unknownKeys.length > 0 ? { unknownKeys: unknownKeys.map((k) => k.key) } : {}),
      ...(languagesDetected > 0 ? { languagesDetected } : {}),
    };
  };
}

/** A mapping from the workflow input is checked again here: a raw start may not have gone through the CLI. */
function checkedMapping(feed: FeedOptions) {
  try {
    return feed.mapping === undefined ? undefined : validateMapping(feed.mapping, 'feed.mapping');
  } catch (err) {
    throw ApplicationFailure.nonRetryable((err as Error).message, FeedErrorType.Invalid);
  }
}

/** Feed faults are the user's to fix: retrying cannot make a missing file or a bad header good. */
function feedFailure(err: unknown): never {
  if (err instanceof FeedFileError) {
    const type = err.kind === 'not_found' ? FeedErrorType.NotFound : FeedErrorType.Unreadable;
    throw ApplicationFailure.nonRetryable(err.message, type, { path: err.path });
  }
  if (err instanceof FeedConfigError)
    throw ApplicationFailure.nonRetryable(err.message, FeedErrorType.Invalid);
  throw err;
}

/**
 * An empty feed, or one mostly rejected, is almost always a failed upstream export: scoring
 * what is left would report success on a fraction of the day. It fails the run unless the
 * options allow it; the message has the counts and the first reasons.
 */
export function checkFeedHealth(
  path: string,
  feed: FeedOptions,
  accepted: number,
  rejected: ReadonlyArray<{ reason: string }>,
): void {
  const lines = accepted + rejected.length;
  const sample = rejected
    .slice(0, 3)
    .map((r) => r.reason)
    .join('; ');
  if (lines === 0 && feed.allowEmpty !== true) {
    throw ApplicationFailure.nonRetryable(
      `feed ${path} has no listings (0 lines): nothing to score; allow an empty run with --allow-empty`,
      FeedErrorType.Empty,
      { lines, accepted, rejected: 0 },
    );
  }
  const limit = feed.maxRejectedShare ?? RUN_DEFAULTS.feed.maxRejectedShare;
  if (lines > 0 && rejected.length / lines > limit) {
    const share = ((rejected.length / lines) * 100).toFixed(1);
    throw ApplicationFailure.nonRetryable(
      `feed ${path}: ${rejected.length} of ${lines} lines rejected (${share}%), more than the ` +
        `${(limit * 100).toFixed(0)}% allowed (--max-rejected-share); ${accepted} valid. First reasons: ${sample}`,
      accepted === 0 ? FeedErrorType.Empty : FeedErrorType.TooManyRejected,
      { lines, accepted, rejected: rejected.length, sample: rejected.slice(0, 3).map((r) => r.reason) },
    );
  }
}

/** A re-run scores the source run's open dead letters, as the source run saw them, with its criteria. */
async function planRerun(deps: ActivityDeps, input: PlanRunInput, source: RerunSource): Promise<PlanResult> {
  const sourceRun = await deps.store.getRun(source.runId);
  if (!sourceRun) {
    throw ApplicationFailure.nonRetryable(`no run ${source.runId} to re-run`, PipelineErrorType.RunNotFound);
  }
  await deps.store.upsertRun({
    runId: input.runId,
    runDate: input.runDate,
    feedPath: `rerun-of:${source.runId}`,
    criteria: sourceRun.criteria,
    status: 'running',
    startedAt: new Date().toISOString(),
  });
  const planned = await deps.store.planFromDeadLetters(input.runId, source.runId, source.listingIds);
  // The copied rows carry listings, not routes: route them now, with today's routing.
  await routePlanChunk(deps, { runId: input.runId, fromSeq: 0, toSeq: planned });
  deps.logger.info(
    { event: 'run_planned', runId: input.runId, rerunOf: source.runId, planned },
    're-run planned',
  );
  return { lines: planned, planned, toScore: planned, cacheHits: 0, rejected: 0, rejectedSample: [] };
}

export function makeLoadShard(deps: ActivityDeps) {
  /** Ids and their routes (each distinct route once), for one shard's seq range. */
  return async function loadShard(input: {
    runId: string;
    fromSeq: number;
    toSeq: number;
  }): Promise<ShardPlan> {
    // Rows an older worker planned have no route: route them now, the same way planning would.
    await routePlanChunk(deps, input);
    // Only what is still unfinished: a shard restarted by a reset, or running after the batch
    // pass, skips listings that already have a score or a dead letter.
    const items = await deps.store.unfinishedItems(input.runId, input.fromSeq, input.toSeq);
    const plan: ShardPlan = { listings: [], routes: [] };
    const index = new Map<string, number>();
    for (const item of items) {
      // Routed just above; a row without a route now is a store fault, worth a retry, not a skip.
      if (!item.route) throw new Error(`plan row ${item.seq} of run ${input.runId} has no route`);
      const key = JSON.stringify(item.route);
      let at = index.get(key);
      if (at === undefined) {
        at = plan.routes.push(routeQueues(item.route, deps.taskQueue)) - 1;
        index.set(key, at);
      }
      plan.listings.push({ id: item.listingId, route: at });
    }
    return plan;
  };
}
