import { describe, expect, it } from 'vitest';
import { bucketOf, summarizeProfiles, type CpuProfile } from '../../../bench/lib/profile';

describe('CPU profile summary', () => {
  it('buckets frames by package, project folder, node module or V8 entry', () => {
    expect(bucketOf('file:///w/node_modules/pino-pretty/lib/x.js', 'f')).toBe('pino-pretty');
    expect(bucketOf('file:///w/node_modules/@temporalio/worker/lib/w.js', 'f')).toBe('@temporalio/worker');
    expect(bucketOf('file:///w/main/src/activities/score-listing.ts', 'f')).toBe('src/activities');
    expect(bucketOf('node:internal/streams/writable', 'f')).toBe('node:internal');
    expect(bucketOf('', '(garbage collector)')).toBe('(garbage collector)');
    expect(bucketOf('', 'writeSync')).toBe('(native)');
  });

  it('sums self time per bucket across threads, leaves idle and out-of-window samples out', () => {
    const profile: CpuProfile = {
      startTime: 1_000_000,
      nodes: [
        { id: 1, callFrame: { functionName: '(idle)', url: '' } },
        { id: 2, callFrame: { functionName: 'a', url: 'file:///x/node_modules/zod/v4/index.js' } },
        { id: 3, callFrame: { functionName: 'b', url: 'file:///x/src/store/sqlite.ts' } },
      ],
      samples: [1, 2, 3, 2, 1],
      timeDeltas: [5000, 3000, 1000, 2000, 9000],
    };
    expect(summarizeProfiles([profile])).toEqual([
      { where: 'zod', selfMs: 5, share: 5 / 6 },
      { where: 'src/store', selfMs: 1, share: 1 / 6 },
    ]);
    // Two threads add up; a window drops the first zod sample (taken at 1,008,000 µs).
    expect(summarizeProfiles([profile, profile])[0]).toEqual({ where: 'zod', selfMs: 10, share: 5 / 6 });
    expect(summarizeProfiles([profile], { fromUs: 1_008_500, toUs: 2_000_000 })).toEqual([
      { where: 'zod', selfMs: 2, share: 2 / 3 },
      { where: 'src/store', selfMs: 1, share: 1 / 3 },
    ]);
  });
});
