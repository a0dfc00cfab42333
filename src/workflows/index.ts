/** The worker bundles this module: every workflow type the task queue serves. */
export { dailyScoringRun } from './daily-scoring-run';
export { scoringShard } from './scoring-shard';
export { batchScoring } from './batch-scoring';
