import { describe, expect, it } from 'vitest';
import { RUN_DEFAULTS } from '../../../../src/shared/messages';
import { cutoffAt, resolveRunOptions } from '../../../../src/workflows/run/options';

const base = { runDate: '2026-03-02', feedPath: '/feeds/{date}.jsonl', criteria: 'c' };

describe('run options', () => {
  it('fills every absent field from RUN_DEFAULTS and puts the run date into the feed path', () => {
    const o = resolveRunOptions(base);
    expect(o).toEqual({
      runDate: '2026-03-02',
      feedPath: '/feeds/2026-03-02.jsonl',
      shardSize: RUN_DEFAULTS.shardSize,
      maxConcurrentShards: RUN_DEFAULTS.maxConcurrentShards,
      listingConcurrency: RUN_DEFAULTS.listingConcurrency,
      shardsPerExecution: RUN_DEFAULTS.shardsPerExecution,
      maxAttempts: RUN_DEFAULTS.maxAttempts,
      escalateBelow: RUN_DEFAULTS.escalateBelow,
      route: 'auto',
      deadline: undefined,
      syncReserveMs: RUN_DEFAULTS.syncReserveMs,
      batchPollMs: RUN_DEFAULTS.batchPollMs,
      feedWaitMs: RUN_DEFAULTS.feed.waitMs,
      canaries: true,
    });
  });

  it('keeps what the input gives, zero included', () => {
    const o = resolveRunOptions({
      ...base,
      shardSize: 10,
      escalateBelow: 0,
      route: 'sync',
      feed: { waitMs: 0 },
      quality: { canaries: false },
    });
    expect(o).toMatchObject({
      shardSize: 10,
      escalateBelow: 0,
      route: 'sync',
      feedWaitMs: 0,
      canaries: false,
    });
  });

  it('cuts the batch pass off the sync reserve before the deadline, by default 20 h after the start', () => {
    const startedAt = Date.parse('2026-03-02T00:00:00Z');
    expect(cutoffAt(resolveRunOptions(base), startedAt)).toBe(startedAt + 18 * 3600_000);
    const given = resolveRunOptions({ ...base, deadline: '2026-03-02T12:00:00Z', syncReserveMs: 3600_000 });
    expect(new Date(cutoffAt(given, startedAt)).toISOString()).toBe('2026-03-02T11:00:00.000Z');
  });
});
