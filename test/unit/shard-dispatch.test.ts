import { describe, expect, it } from 'vitest';
import type { ListingOutcome } from '../../src/shared/messages';
import { REPORT_EVERY_LISTINGS, REPORT_EVERY_MS, ShardDispatch } from '../../src/shared/shard-dispatch';
import { emptyTotals } from '../../src/shared/totals';

const scored: ListingOutcome = { kind: 'scored', model: 'small', score: 7 };
const transient: ListingOutcome = {
  kind: 'transient',
  errorType: 'ServerError',
  lastError: '500',
  attempts: 3,
  model: 'small',
};
const refused: ListingOutcome = { kind: 'budget', lastError: 'run budget of $1 reached' };

const ids = (n: number) => Array.from({ length: n }, (_, i) => `l${i}`);
const at = (now: number, epoch = 0, probe = false, raceFixed = true) => ({
  probe,
  epoch,
  now,
  raceFixed: () => raceFixed,
});

/** Takes the next listing and settles it with `outcome` at time `now`. */
function answer(d: ShardDispatch, outcome: ListingOutcome, now = 0) {
  const next = d.take();
  if (!next) throw new Error('queue empty');
  d.returned();
  return { id: next.listingId, step: d.settle(next.listingId, outcome, at(now, next.epoch)) };
}

describe('the shard dispatch state machine', () => {
  it('dispatches in order, counts scores, and reports only after enough listings and time', () => {
    const totals = emptyTotals();
    const d = new ShardDispatch(ids(30), totals, { stopped: false, now: 0 });
    expect(d.laneReady()).toBe(true);
    for (let i = 0; i < REPORT_EVERY_LISTINGS; i++) expect(answer(d, scored).step.next).toBe('scored');
    expect(d.done).toBe(REPORT_EVERY_LISTINGS);
    expect(totals.scored).toBe(REPORT_EVERY_LISTINGS);
    expect(d.reportDue(REPORT_EVERY_MS - 1)).toBe(false);
    expect(d.reportDue(REPORT_EVERY_MS)).toBe(true);
    expect(d.report(4, REPORT_EVERY_MS)).toMatchObject({
      shardIndex: 4,
      done: 25,
      scored: 25,
      outage: false,
    });
    expect(d.reportDue(2 * REPORT_EVERY_MS)).toBe(false);
  });

  it('opens the breaker on piled-up failures, asks for one probe, requeues to the back, and closes on a good probe', () => {
    const totals = emptyTotals();
    const d = new ShardDispatch(ids(10), totals, { stopped: false, now: 0 });
    const steps = Array.from({ length: 6 }, (_, i) => answer(d, transient, i * 1000));
    expect(d.breaker.open).toBe(true);
    expect(steps.map((s) => s.step.startProbe)).toEqual([false, false, false, false, false, true]);
    expect(steps.every((s) => s.step.next === 'none')).toBe(true);
    expect(d.pending.slice(-6)).toEqual(['l0', 'l1', 'l2', 'l3', 'l4', 'l5']);
    // Open: lanes wait, an outage is reported at once, and a second failure asks for no second probe.
    expect(d.laneReady()).toBe(false);
    expect(d.reportDue(5000)).toBe(true);
    expect(d.keepProbing()).toBe(true);
    const probe = d.take();
    expect(probe?.listingId).toBe('l6');
    d.returned();
    d.probed(scored, 65_000);
    expect(d.breaker.open).toBe(false);
    expect(d.settle('l6', scored, at(65_000, 0, true)).startProbe).toBe(false);
    d.probeEnded();
    expect(d.laneReady()).toBe(true);
    expect(d.close()).toMatchObject({ scored: 1, outages: 1, outageMs: 60_000 });
  });

  it("dead-letters a listing that keeps failing while the API otherwise answers, with 'retries_exhausted'", () => {
    const d = new ShardDispatch([...ids(12), 'bad', 'l12'], emptyTotals(), { stopped: false, now: 0 });
    for (let i = 0; i < 12; i++) answer(d, scored);
    expect(answer(d, transient).step.next).toBe('none');
    expect(d.pending).toEqual(['l12', 'bad']);
    answer(d, scored);
    const { id, step } = answer(d, transient);
    expect(id).toBe('bad');
    expect(step).toMatchObject({
      next: 'dead',
      dead: { kind: 'dead', reason: 'retries_exhausted', lastError: '500' },
    });
    d.deadLettered('retries_exhausted');
    expect(d.done).toBe(14);
  });

  it('waits for calls in flight after the first budget refusal, pauses on the second, and resumes on a raise', () => {
    const d = new ShardDispatch(ids(3), emptyTotals(), { stopped: false, now: 0 });
    const other = d.take();
    const first = answer(d, refused);
    expect(first.step.next).toBe('drain');
    expect(d.pending[0]).toBe(first.id);
    expect(d.laneReady()).toBe(false);
    expect(d.drainWaitOver()).toBe(false);
    d.returned();
    expect(d.drainWaitOver()).toBe(true);
    d.drained();
    d.settle(other?.listingId ?? '', refused, at(0, other?.epoch));
    // Still blocked from the refusal just settled: a second refusal of the same listing is the pause.
    expect(d.budgetBlocked).toBe(true);
    d.drained();
    expect(answer(d, refused).step).toEqual({
      startProbe: false,
      next: 'pause',
      lastError: refused.lastError,
    });
    expect(d.reportDue(0)).toBe(true);
    d.budgetChanged();
    expect(d.laneReady()).toBe(true);
  });

  it('retries a refusal that was on its way before a raise, unless the execution predates that fix', () => {
    for (const raceFixed of [true, false]) {
      const d = new ShardDispatch(ids(2), emptyTotals(), { stopped: false, now: 0 });
      const next = d.take();
      d.budgetChanged();
      d.returned();
      const step = d.settle(next?.listingId ?? '', refused, at(0, next?.epoch, false, raceFixed));
      expect(step.next).toBe(raceFixed ? 'none' : 'drain');
      expect(d.budgetBlocked).toBe(!raceFixed);
    }
  });

  it('on a stop lets lanes end and hands what is left over to be parked', () => {
    const totals = emptyTotals();
    const d = new ShardDispatch(ids(5), totals, { stopped: false, now: 0 });
    answer(d, scored);
    d.stop();
    expect(d.laneReady()).toBe(true);
    expect(d.probeReady()).toBe(true);
    const left = d.takeLeft();
    expect(left).toEqual(['l1', 'l2', 'l3', 'l4']);
    d.parked(left.length, 'budget_exhausted');
    expect(d.done).toBe(5);
    expect(totals.deadLetterReasons).toEqual({ budget_exhausted: 4 });
  });
});
