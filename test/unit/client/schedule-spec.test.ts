import type { ScheduleDescription } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config';
import { backfillWindow, dateIn, daysBetween, zonedMidnight } from '../../../src/client/dates';
import {
  buildScheduleOptions,
  calendarToCron,
  mergeSchedule,
  parseScheduleOptions,
} from '../../../src/client/schedule-spec';

const config = loadConfig({ SCORELINE_TASK_QUEUE: 'q' });
const any = { start: 0, end: 0, step: 1 };

describe('schedule settings', () => {
  it('fills the defaults on create: 06:00 UTC, SKIP, a one-day catch-up window, no pause on failure', () => {
    const o = buildScheduleOptions(
      config,
      parseScheduleOptions({ id: 's', feedTemplate: '/f/{date}.jsonl' }),
      'c',
    );
    expect(o.spec).toMatchObject({ calendars: [{ hour: 6, minute: 0 }], timezone: 'UTC' });
    expect(o.policies).toEqual({ overlap: 'SKIP', catchupWindow: 86_400_000, pauseOnFailure: false });
    expect(o.action).toMatchObject({ workflowType: 'dailyScoringRun', taskQueue: 'q', workflowId: 's-run' });
    // No runDate: the workflow takes it from the scheduled time in the schedule's zone.
    expect(o.action.args).toEqual([
      { feedPath: '/f/{date}.jsonl', criteria: 'c', timezone: 'UTC', maxAttempts: 3 },
    ]);
  });

  it('carries cron, zone, policies and budgets into the schedule', () => {
    const s = parseScheduleOptions({
      id: 's',
      cron: '15 5 * * 1-5',
      timezone: 'Europe/Berlin',
      overlap: 'buffer_one',
      catchupWindow: '2h',
      pauseOnFailure: true,
      feedTemplate: '/f/{date}.jsonl',
      budgetUsd: '4',
      dailyBudgetUsd: '10',
    });
    const o = buildScheduleOptions(config, s, 'c');
    expect(o.spec).toEqual({ cronExpressions: ['15 5 * * 1-5'], timezone: 'Europe/Berlin' });
    expect(o.policies).toEqual({ overlap: 'BUFFER_ONE', catchupWindow: 7_200_000, pauseOnFailure: true });
    expect(o.action.args?.[0]).toMatchObject({ timezone: 'Europe/Berlin', budgetUsd: 4, dailyBudgetUsd: 10 });
  });

  it('carries SCORELINE_MAX_ATTEMPTS into the scheduled run input, on create and on update', () => {
    const five = loadConfig({ SCORELINE_TASK_QUEUE: 'q', SCORELINE_MAX_ATTEMPTS: '5' });
    const created = buildScheduleOptions(
      five,
      parseScheduleOptions({ id: 's', feedTemplate: '/f/{date}.jsonl' }),
      'c',
    );
    expect(created.action.args?.[0]).toMatchObject({ maxAttempts: 5 });
    const prev = {
      scheduleId: 's',
      spec: { calendars: [], timezone: 'UTC' },
      action: { ...created.action, args: [{ feedPath: '/f/{date}', criteria: 'c', maxAttempts: 2 }] },
      policies: { overlap: 'SKIP', catchupWindow: 86_400_000, pauseOnFailure: false },
      state: { paused: false },
    } as unknown as ScheduleDescription;
    const updated = mergeSchedule(five, prev, parseScheduleOptions({ id: 's' }), undefined);
    expect(updated.action.args?.[0]).toMatchObject({ maxAttempts: 5 });
  });

  it('refuses --cron with --at, and a create without a feed template', () => {
    expect(() => parseScheduleOptions({ id: 's', cron: '0 6 * * *', at: '06:00' })).toThrow(
      '--cron and --at',
    );
    expect(() => buildScheduleOptions(config, parseScheduleOptions({ id: 's' }), 'c')).toThrow(
      '--feed-template',
    );
    expect(() => parseScheduleOptions({ id: ' ' })).toThrow('--id');
  });

  it('updates only what is given, and moves the workflow input to a new time zone with the spec', () => {
    const prev = {
      scheduleId: 's',
      spec: { calendars: [], timezone: 'UTC' },
      action: {
        type: 'startWorkflow',
        workflowType: 'dailyScoringRun',
        taskQueue: 'q',
        workflowId: 's-run',
        args: [{ feedPath: '/f/{date}', criteria: 'c', timezone: 'UTC', budgetUsd: 1 }],
      },
      policies: { overlap: 'SKIP', catchupWindow: 86_400_000, pauseOnFailure: false },
      state: { paused: true },
    } as unknown as ScheduleDescription;
    const next = mergeSchedule(
      config,
      prev,
      parseScheduleOptions({ id: 's', timezone: 'Asia/Tokyo', dailyBudgetUsd: '9' }),
      undefined,
    );
    expect(next.spec.timezone).toBe('Asia/Tokyo');
    expect(next.action.args?.[0]).toEqual({
      feedPath: '/f/{date}',
      criteria: 'c',
      timezone: 'Asia/Tokyo',
      budgetUsd: 1,
      dailyBudgetUsd: 9,
      maxAttempts: 3,
    });
    expect(next.policies).toEqual(prev.policies);
    expect(next.state).toEqual({ paused: true });
  });
});

describe('calendar descriptions', () => {
  it('writes a described calendar back as a cron line', () => {
    const full = {
      second: [any],
      minute: [{ start: 30, end: 30, step: 1 }],
      hour: [{ start: 5, end: 5, step: 1 }],
      dayOfMonth: [{ start: 1, end: 31, step: 1 }],
      month: [{ start: 'JANUARY' as const, end: 'DECEMBER' as const, step: 1 }],
      year: [],
      dayOfWeek: [{ start: 'SUNDAY' as const, end: 'SATURDAY' as const, step: 1 }],
    };
    expect(calendarToCron(full)).toBe('30 5 * * *');
    expect(
      calendarToCron({
        ...full,
        dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY', step: 1 }],
        month: [{ start: 'MARCH', end: 'MARCH', step: 1 }],
        dayOfMonth: [{ start: 1, end: 31, step: 2 }],
      }),
    ).toBe('30 5 1-31/2 3 1-5');
  });
});

describe('days in a time zone', () => {
  it('finds local midnight across offsets and DST', () => {
    expect(zonedMidnight('2026-11-29', 'UTC').toISOString()).toBe('2026-11-29T00:00:00.000Z');
    expect(zonedMidnight('2026-11-29', 'Europe/Berlin').toISOString()).toBe('2026-11-28T23:00:00.000Z');
    expect(zonedMidnight('2026-07-01', 'Europe/Berlin').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(zonedMidnight('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(zonedMidnight('2026-11-29', 'America/New_York').toISOString()).toBe('2026-11-29T05:00:00.000Z');
    expect(zonedMidnight('2026-11-29', 'Pacific/Kiritimati').toISOString()).toBe('2026-11-28T10:00:00.000Z');
  });

  it('covers whole local days in a backfill window, and not the next midnight', () => {
    const w = backfillWindow('2026-11-27', '2026-11-28', 'Europe/Berlin');
    expect(w.start.toISOString()).toBe('2026-11-26T23:00:00.000Z');
    expect(w.end.toISOString()).toBe('2026-11-28T22:59:59.000Z');
    expect(dateIn('Europe/Berlin', w.start)).toBe('2026-11-27');
    expect(dateIn('Europe/Berlin', w.end)).toBe('2026-11-28');
    expect(daysBetween('2026-12-30', '2027-01-02')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
  });
});
