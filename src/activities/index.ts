import { makeCollectBatch, makePersistBatch, makeValidateBatch } from './batch-collect';
import { makeBatchSupported, makeCancelBatches, makePollBatches, makeSubmitBatches } from './batch-submit';
import { makeDeadLetterMany, makeSetBudgets } from './budget';
import { makeDeadLetter } from './dead-letter';
import type { ActivityDeps } from './deps';
import { makeFeedExists } from './feed-exists';
import { makeFinishRun, makeReviewRun } from './finish-run';
import {
  makeApplyNearDuplicates,
  makeClusterNearDuplicates,
  makeEmbeddingBatchActivities,
  makeEmbedRange,
} from './near-duplicates';
import { makeLoadShard, makePlanRun } from './plan-run';
import { makeRouteModel } from './route-model';
import { makeScoreListing } from './score-listing';
import { makeShardsWithWork } from './shards-with-work';
import { makeValidateAndPersist } from './validate-score';

export type { ActivityDeps } from './deps';

/** All activities, bound to their dependencies; the worker registers the result. */
export function createActivities(deps: ActivityDeps) {
  return {
    planRun: makePlanRun(deps),
    feedExists: makeFeedExists(),
    loadShard: makeLoadShard(deps),
    shardsWithWork: makeShardsWithWork(deps),
    routeModel: makeRouteModel(deps),
    scoreListing: makeScoreListing(deps),
    validateAndPersist: makeValidateAndPersist(deps),
    deadLetterListing: makeDeadLetter(deps),
    finishRun: makeFinishRun(deps),
    reviewRun: makeReviewRun(deps),
    setBudgets: makeSetBudgets(deps),
    deadLetterMany: makeDeadLetterMany(deps),
    batchSupported: makeBatchSupported(deps),
    submitBatches: makeSubmitBatches(deps),
    pollBatches: makePollBatches(deps),
    cancelBatches: makeCancelBatches(deps),
    collectBatch: makeCollectBatch(deps),
    validateBatch: makeValidateBatch(deps),
    persistBatch: makePersistBatch(deps),
    embedRange: makeEmbedRange(deps),
    clusterNearDuplicates: makeClusterNearDuplicates(deps),
    applyNearDuplicates: makeApplyNearDuplicates(deps),
    ...makeEmbeddingBatchActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
