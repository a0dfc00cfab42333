import { ApplicationFailure } from '@temporalio/activity';
import { FeedFileError, feedFileExists } from '../feed/parse';
import { FeedErrorType } from '../shared/messages';

/**
 * Whether the run's feed file is there yet: the workflow polls this on a durable timer while
 * an upstream export is late. A path that exists but cannot be read fails at once, since
 * waiting would not change it.
 */
export function makeFeedExists() {
  return async function feedExists(input: { feedPath: string }): Promise<boolean> {
    try {
      return await feedFileExists(input.feedPath);
    } catch (err) {
      if (err instanceof FeedFileError) {
        throw ApplicationFailure.nonRetryable(err.message, FeedErrorType.Unreadable, { path: err.path });
      }
      throw err;
    }
  };
}
