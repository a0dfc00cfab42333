import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config';
import { buildRunInput } from '../../../src/client/run-input';
import { defaultCriteria } from '../../../feedgen/generate';

describe('the run input the CLI builds', () => {
  it('carries SCORELINE_MAX_ATTEMPTS as maxAttempts, which sets the workflow retry policy', () => {
    const input = buildRunInput(loadConfig({ SCORELINE_MAX_ATTEMPTS: '7' }), {
      feed: 'f.jsonl',
      date: '2026-11-29',
    });
    expect(input.maxAttempts).toBe(7);
    expect(buildRunInput(loadConfig({}), { feed: 'f.jsonl', date: '2026-11-29' }).maxAttempts).toBe(3);
  });

  it('resolves the feed path, defaults the criteria, and parses budgets, route and gate', () => {
    const input = buildRunInput(loadConfig({}), {
      feed: 'feeds/x.jsonl',
      date: '2026-11-29',
      budgetUsd: '$2.50',
      route: 'sync',
      qualityGate: 'quarantine',
    });
    expect(input).toMatchObject({
      runDate: '2026-11-29',
      feedPath: resolve('feeds/x.jsonl'),
      criteria: defaultCriteria,
      budgetUsd: 2.5,
      route: 'sync',
      quality: { gate: 'quarantine' },
    });
  });

  it('names the flag that is wrong', () => {
    const config = loadConfig({});
    expect(() => buildRunInput(config, { feed: 'f', date: '29.11.2026' })).toThrow('--date');
    expect(() => buildRunInput(config, { feed: 'f', date: '2026-11-29', route: 'fast' })).toThrow('--route');
    const dir = mkdtempSync(join(tmpdir(), 'run-input-'));
    writeFileSync(join(dir, 'empty.txt'), '  \n');
    expect(() =>
      buildRunInput(config, { feed: 'f', date: '2026-11-29', criteriaFile: join(dir, 'empty.txt') }),
    ).toThrow('--criteria-file');
  });
});
