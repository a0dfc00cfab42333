import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { FeedErrorType } from '../../shared/messages';
import { planOptions, storeStepOptions } from '../activity-options';

/** The run's activities, proxied once for every phase. */
export const { planRun } = proxyActivities<Activities>(planOptions);
export const { finishRun, reviewRun, setBudgets, batchSupported, shardsWithWork } =
  proxyActivities<Activities>(storeStepOptions);
// A stat of one path: quick, and only a broken file system is worth a few retries.
export const { feedExists } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    maximumAttempts: 5,
    initialInterval: '1 second',
    nonRetryableErrorTypes: [FeedErrorType.Unreadable],
  },
});
