import { describe, expect, it } from 'vitest';
import { newBreaker, recordOutcome } from '../../src/shared/breaker';
import { MAX_TRANSIENT_ROUNDS, RequeuePolicy } from '../../src/shared/requeue-policy';

/** A breaker whose window saw `ok` successes and `failed` failures, in that order. */
function breakerAfter(ok: number, failed: number) {
  const b = newBreaker();
  for (let i = 0; i < ok; i++) recordOutcome(b, true, i);
  for (let i = 0; i < failed; i++) recordOutcome(b, false, ok + i);
  return b;
}

describe('the requeue policy', () => {
  it('dead-letters a listing that fails twice while the API otherwise answers', () => {
    const p = new RequeuePolicy();
    const healthy = breakerAfter(12, 0);
    p.succeeded();
    expect(p.afterTransientFailure('a', healthy)).toBe('requeue');
    p.succeeded();
    expect(p.afterTransientFailure('a', healthy)).toBe('dead');
  });

  it('holds nothing against a listing while the breaker is open, up to the cap on rounds', () => {
    const p = new RequeuePolicy();
    const open = breakerAfter(0, 6);
    expect(open.open).toBe(true);
    const decisions = Array.from({ length: MAX_TRANSIENT_ROUNDS }, () => {
      p.succeeded();
      return p.afterTransientFailure('a', open);
    });
    expect(decisions.slice(0, -1).every((d) => d === 'requeue')).toBe(true);
    expect(decisions.at(-1)).toBe('dead');
  });

  it('suspects the provider once a quarter of recent calls failed, before the breaker opens', () => {
    const p = new RequeuePolicy();
    const failing = breakerAfter(9, 3);
    expect(failing.open).toBe(false);
    for (let i = 0; i < 5; i++) {
      p.succeeded();
      expect(p.afterTransientFailure('a', failing)).toBe('requeue');
    }
  });

  it('does not count a repeat failure when no other listing succeeded in between', () => {
    const p = new RequeuePolicy();
    const healthy = breakerAfter(12, 0);
    p.succeeded();
    expect(p.afterTransientFailure('a', healthy)).toBe('requeue');
    // Nothing answered since: the start of an outage, not this listing's fault.
    expect(p.afterTransientFailure('a', healthy)).toBe('requeue');
    p.succeeded();
    expect(p.afterTransientFailure('a', healthy)).toBe('dead');
  });

  it('keeps each listing to its own count', () => {
    const p = new RequeuePolicy();
    const healthy = breakerAfter(12, 0);
    p.succeeded();
    expect(p.afterTransientFailure('a', healthy)).toBe('requeue');
    p.succeeded();
    expect(p.afterTransientFailure('b', healthy)).toBe('requeue');
  });
});
