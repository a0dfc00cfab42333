import { describe, expect, it } from 'vitest';
import { DEFAULT_BREAKER, newBreaker, recordOutcome, recordProbe } from '../../src/shared/breaker';

describe('the outage breaker', () => {
  it('stays closed through isolated failures', () => {
    const b = newBreaker();
    for (let i = 0; i < 50; i++) expect(recordOutcome(b, i % 5 !== 0, i)).toBe(false);
    expect(b.open).toBe(false);
  });

  it('opens when half of a full enough window failed, and not before the minimum sample', () => {
    const b = newBreaker();
    for (let i = 0; i < DEFAULT_BREAKER.minSamples - 1; i++) recordOutcome(b, false, i);
    expect(b.open).toBe(false);
    expect(recordOutcome(b, false, 100)).toBe(true);
    expect(b).toMatchObject({ open: true, openedAt: 100, opened: 1 });
  });

  it('doubles the probe interval after each failed probe, up to the cap', () => {
    const b = newBreaker();
    for (let i = 0; i < 6; i++) recordOutcome(b, false, 0);
    const delays = [];
    for (let i = 0; i < 12; i++) {
      delays.push(b.probeDelayMs);
      recordProbe(b, false, i);
    }
    expect(delays.slice(0, 4)).toEqual([2000, 4000, 8000, 16000]);
    expect(Math.max(...delays)).toBe(DEFAULT_BREAKER.maxProbeMs);
  });

  it('closes on a successful probe, counts the time it was open, and starts a fresh window', () => {
    const b = newBreaker();
    for (let i = 0; i < 6; i++) recordOutcome(b, false, 1000);
    recordProbe(b, true, 61_000);
    expect(b).toMatchObject({
      open: false,
      openMs: 60_000,
      outcomes: [],
      probeDelayMs: DEFAULT_BREAKER.firstProbeMs,
    });
    expect(recordOutcome(b, false, 62_000)).toBe(false);
  });
});

describe('the outage breaker after an outage', () => {
  it('is never re-opened by a success landing in a window full of the outage’s failures', () => {
    const b = newBreaker();
    for (let i = 0; i < 5; i++) recordOutcome(b, false, i);
    // The breaker closes after a probe; the window then refills with a mix like the chaos run's.
    recordOutcome(b, false, 5);
    recordProbe(b, true, 6);
    for (const ok of [true, true, false, false, false]) recordOutcome(b, ok, 7);
    expect(recordOutcome(b, true, 8)).toBe(false);
    expect(b.open).toBe(false);
  });
});
