import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { checkFeedHealth } from '../../../src/activities/plan-run';

const reasons = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ reason: `line ${i + 1}: invalid JSON` }));

function failure(fn: () => void): ApplicationFailure {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApplicationFailure) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('the feed health check before any LLM call', () => {
  it('fails an empty feed non-retryably, naming the path and how to allow it', () => {
    const f = failure(() => checkFeedHealth('/feeds/today.jsonl', {}, 0, []));
    expect(f.type).toBe('FeedEmpty');
    expect(f.nonRetryable).toBe(true);
    expect(f.message).toBe(
      'feed /feeds/today.jsonl has no listings (0 lines): nothing to score; allow an empty run with --allow-empty',
    );
  });

  it('lets an empty feed through when allowed', () => {
    expect(() => checkFeedHealth('/f', { allowEmpty: true }, 0, [])).not.toThrow();
  });

  it('fails a feed with more than half its lines rejected, with counts and the first reasons', () => {
    const f = failure(() => checkFeedHealth('/f.jsonl', {}, 4, reasons(6)));
    expect(f.type).toBe('FeedTooManyRejected');
    expect(f.message).toBe(
      'feed /f.jsonl: 6 of 10 lines rejected (60.0%), more than the 50% allowed (--max-rejected-share); 4 valid. ' +
        'First reasons: line 1: invalid JSON; line 2: invalid JSON; line 3: invalid JSON',
    );
  });

  it('calls a feed with every line rejected empty, and accepts exactly the allowed share', () => {
    expect(failure(() => checkFeedHealth('/f', {}, 0, reasons(3))).type).toBe('FeedEmpty');
    expect(() => checkFeedHealth('/f', {}, 5, reasons(5))).not.toThrow();
    expect(() => checkFeedHealth('/f', { maxRejectedShare: 1 }, 0, reasons(3))).not.toThrow();
    expect(failure(() => checkFeedHealth('/f', { maxRejectedShare: 0 }, 9, reasons(1))).type).toBe(
      'FeedTooManyRejected',
    );
  });
});
