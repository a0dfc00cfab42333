import { describe, expect, it } from 'vitest';
import { ArgsError, parseArgs, PHASES } from '../../../bench/lib/args';

describe('bench arguments', () => {
  it('runs every phase at full size by default', () => {
    const a = parseArgs([]);
    expect(a.phases).toEqual([...PHASES]);
    expect(a).toMatchObject({
      throughputListings: 5000,
      overheadListings: 5000,
      scaleListings: 100_000,
      costListings: 10_000,
      rpm: 3000,
      concurrency: 200,
      routes: ['sync'],
    });
  });

  it('selects phases in their fixed order, and --skip-scale drops scale', () => {
    expect(parseArgs(['--only', 'cost,throughput']).phases).toEqual(['throughput', 'cost']);
    expect(parseArgs(['--skip-scale']).phases).toEqual(['throughput', 'overhead', 'cost']);
    expect(parseArgs(['--only=scale', '--skip-scale']).phases).toEqual([]);
  });

  it('shrinks sizes with --quick, and an explicit size still wins', () => {
    const a = parseArgs(['--quick', '--scale-listings', '30000']);
    expect(a.quick).toBe(true);
    expect(a.throughputListings).toBeLessThan(5000);
    expect(a.scaleListings).toBe(30_000);
  });

  it('takes several routes for the cost phase', () => {
    expect(parseArgs(['--route', 'sync,batch,sync']).routes).toEqual(['sync', 'batch']);
  });

  it('names the bad flag or value', () => {
    expect(() => parseArgs(['--only', 'speed'])).toThrow(/unknown phase "speed"/);
    expect(() => parseArgs(['--scale-listings', '-3'])).toThrow(/--scale-listings needs a positive integer/);
    expect(() => parseArgs(['--rpm'])).toThrow(ArgsError);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown flag --fast/);
    expect(() => parseArgs(['--route', 'carrier-pigeon'])).toThrow(/--route/);
    expect(() => parseArgs(['stray'])).toThrow(/unexpected argument/);
  });
});
