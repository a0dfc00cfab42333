import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  cronExpression,
  duration,
  feedTemplate,
  isoDate,
  overlapPolicy,
  positiveInt,
  timeOfDay,
  timeZone,
  usdAmount,
} from '../../../src/client/args';
import { budgetChange } from '../../../src/client/commands/budget';
import { BACKFILL_OVERLAP } from '../../../src/client/commands/schedule-runs';

const rejects = (fn: () => unknown, flag: string) => {
  expect(fn).toThrow(ArgumentError);
  expect(fn).toThrow(flag);
};

describe('CLI argument validation', () => {
  it('accepts real calendar dates only', () => {
    expect(isoDate('--from', '2026-02-28')).toBe('2026-02-28');
    rejects(() => isoDate('--from', '2026-02-30'), '--from');
    rejects(() => isoDate('--to', '29.11.2026'), '--to');
  });

  it('reads times of day and rejects out-of-range ones', () => {
    expect(timeOfDay('--at', '6:05')).toEqual({ hour: 6, minute: 5 });
    expect(timeOfDay('--at', '23:59')).toEqual({ hour: 23, minute: 59 });
    for (const bad of ['24:00', '12:60', '0600', 'noon']) rejects(() => timeOfDay('--at', bad), '--at');
  });

  it('accepts daily cron lines with day lists, ranges and names, and refuses the rest', () => {
    for (const ok of [
      '0 6 * * *',
      '30 5 * * 1-5',
      '0 6 1,15 * *',
      '0 6 * JAN-MAR MON-FRI',
      '0 6 */2 * *',
      '@daily',
    ]) {
      expect(cronExpression('--cron', ok)).toBe(ok);
    }
    rejects(() => cronExpression('--cron', '0 6 * *'), 'five fields');
    rejects(() => cronExpression('--cron', '0 25 * * *'), 'hour field');
    rejects(() => cronExpression('--cron', '0 6 32 * *'), 'day of month');
    rejects(() => cronExpression('--cron', '0 6 * * FUNDAY'), 'day of week');
    rejects(() => cronExpression('--cron', '0 6 * * 5-1'), 'day of week');
    // More than once a day would score the same day's feed again.
    rejects(() => cronExpression('--cron', '*/15 * * * *'), 'at most once a day');
    rejects(() => cronExpression('--cron', '0 6,18 * * *'), 'at most once a day');
  });

  it('checks time zones against the IANA database', () => {
    expect(timeZone('--timezone', 'Europe/Berlin')).toBe('Europe/Berlin');
    rejects(() => timeZone('--timezone', 'Mars/Olympus'), '--timezone');
  });

  it('knows every overlap policy, case-insensitively, and restricts backfill to the ones that run every day', () => {
    expect(overlapPolicy('--overlap', 'buffer_one')).toBe('BUFFER_ONE');
    expect(overlapPolicy('--overlap', 'terminate-other')).toBe('TERMINATE_OTHER');
    rejects(() => overlapPolicy('--overlap', 'SOMETIMES'), '--overlap');
    expect(overlapPolicy('--overlap', 'allow_all', BACKFILL_OVERLAP)).toBe('ALLOW_ALL');
    expect(() => overlapPolicy('--overlap', 'SKIP', BACKFILL_OVERLAP)).toThrow('BUFFER_ALL, ALLOW_ALL');
  });

  it('reads durations in words or short units, within bounds', () => {
    expect(duration('--catchup-window', '1 day')).toBe(86_400_000);
    expect(duration('--catchup-window', '12h')).toBe(43_200_000);
    expect(duration('--catchup-window', '90 minutes')).toBe(5_400_000);
    rejects(() => duration('--catchup-window', '5s'), 'from 1 minute');
    rejects(() => duration('--catchup-window', '2 years'), '--catchup-window');
    rejects(() => duration('--catchup-window', '400d'), '--catchup-window');
  });

  it('wants {date} in a feed template and makes it absolute', () => {
    expect(feedTemplate('--feed-template', 'feeds/{date}.jsonl')).toMatch(/^\/.*feeds\/\{date\}\.jsonl$/);
    rejects(() => feedTemplate('--feed-template', 'feeds/today.jsonl'), '{date}');
  });

  it('reads USD amounts and whole numbers strictly', () => {
    expect(usdAmount('--budget-usd', '2.50')).toBe(2.5);
    expect(usdAmount('--budget-usd', '$3')).toBe(3);
    for (const bad of ['0', '-1', 'abc', '1e3', '2000000'])
      rejects(() => usdAmount('--budget-usd', bad), '--budget-usd');
    expect(positiveInt('--limit', '10')).toBe(10);
    for (const bad of ['0', '1.5', '-3', '', '10x']) rejects(() => positiveInt('--limit', bad), '--limit');
  });

  it('needs at least one new limit to raise a budget, each valid', () => {
    expect(budgetChange({ runUsd: '5' })).toEqual({ budgetUsd: 5 });
    expect(budgetChange({ runUsd: '5', dayUsd: '20' })).toEqual({ budgetUsd: 5, dailyBudgetUsd: 20 });
    rejects(() => budgetChange({}), '--run-usd');
    rejects(() => budgetChange({ dayUsd: 'lots' }), '--day-usd');
  });
});
