import type {
  CalendarSpecDescription,
  Range,
  ScheduleDescription,
  ScheduleOptions,
  ScheduleOptionsAction,
  ScheduleSpec,
  ScheduleUpdateOptions,
} from '@temporalio/client';
import type { Config } from '../config';
import { RUN_DEFAULTS, type FeedOptions, type RunInput, type RunRoute } from '../shared/messages';
import { feedOptions, type FeedFlags } from './feed-flags';
import type { QualityGateMode } from '../shared/quality';
import {
  ArgumentError,
  choice,
  cronExpression,
  duration,
  feedTemplate,
  humanDuration,
  nonEmpty,
  overlapPolicy,
  timeOfDay,
  timeZone,
  usdAmount,
  type OverlapPolicy,
} from './args';

/** Options as commander hands them over: strings, validated by `parseScheduleOptions`. */
export interface RawScheduleOptions extends FeedFlags {
  id: string;
  cron?: string;
  at?: string;
  timezone?: string;
  overlap?: string;
  catchupWindow?: string;
  pauseOnFailure?: boolean;
  feedTemplate?: string;
  budgetUsd?: string;
  dailyBudgetUsd?: string;
  route?: string;
  qualityGate?: string;
}

export type When = { cron: string } | { hour: number; minute: number };

/** A validated partial schedule: what `create` fills with defaults and `update` lays over the old one. */
export interface ScheduleSettings {
  id: string;
  when?: When;
  timezone?: string;
  overlap?: OverlapPolicy;
  catchupWindowMs?: number;
  pauseOnFailure?: boolean;
  feedTemplate?: string;
  budgetUsd?: number;
  dailyBudgetUsd?: number;
  route?: RunRoute;
  qualityGate?: QualityGateMode;
  feed?: FeedOptions;
}

export const ROUTES: readonly RunRoute[] = ['auto', 'batch', 'sync'];
export const QUALITY_GATES: readonly QualityGateMode[] = ['alarm', 'quarantine', 'off'];

export const SCHEDULE_DEFAULTS = {
  at: '06:00',
  timezone: RUN_DEFAULTS.timezone,
  overlap: 'SKIP',
  catchupWindow: '1 day',
} as const;

export function parseScheduleOptions(raw: RawScheduleOptions): ScheduleSettings {
  if (raw.cron !== undefined && raw.at !== undefined) {
    throw new ArgumentError('--cron and --at are alternatives: give one of them');
  }
  const when: When | undefined =
    raw.cron !== undefined
      ? { cron: cronExpression('--cron', raw.cron) }
      : raw.at !== undefined
        ? timeOfDay('--at', raw.at)
        : undefined;
  return {
    id: nonEmpty('--id', raw.id),
    when,
    timezone: raw.timezone === undefined ? undefined : timeZone('--timezone', raw.timezone),
    overlap: raw.overlap === undefined ? undefined : overlapPolicy('--overlap', raw.overlap),
    catchupWindowMs:
      raw.catchupWindow === undefined ? undefined : duration('--catchup-window', raw.catchupWindow),
    pauseOnFailure: raw.pauseOnFailure,
    feedTemplate:
      raw.feedTemplate === undefined ? undefined : feedTemplate('--feed-template', raw.feedTemplate),
    budgetUsd: raw.budgetUsd === undefined ? undefined : usdAmount('--budget-usd', raw.budgetUsd),
    dailyBudgetUsd:
      raw.dailyBudgetUsd === undefined ? undefined : usdAmount('--daily-budget-usd', raw.dailyBudgetUsd),
    route: raw.route === undefined ? undefined : choice('--route', raw.route, ROUTES),
    qualityGate:
      raw.qualityGate === undefined ? undefined : choice('--quality-gate', raw.qualityGate, QUALITY_GATES),
    feed: feedOptions(raw),
  };
}

/** The whole schedule `create` asks for: the given settings over the defaults. */
export function buildScheduleOptions(config: Config, s: ScheduleSettings, criteria: string): ScheduleOptions {
  if (!s.feedTemplate) throw new ArgumentError('--feed-template is required to create a schedule');
  const timezone = s.timezone ?? SCHEDULE_DEFAULTS.timezone;
  return {
    scheduleId: s.id,
    spec: specFor(s.when ?? timeOfDay('--at', SCHEDULE_DEFAULTS.at), timezone),
    action: actionFor(config, s.id, {
      feedPath: s.feedTemplate,
      criteria,
      timezone,
      budgetUsd: s.budgetUsd,
      dailyBudgetUsd: s.dailyBudgetUsd,
      route: s.route,
      quality: s.qualityGate ? { gate: s.qualityGate } : undefined,
      feed: s.feed,
    }),
    policies: {
      overlap: s.overlap ?? SCHEDULE_DEFAULTS.overlap,
      catchupWindow: s.catchupWindowMs ?? duration('--catchup-window', SCHEDULE_DEFAULTS.catchupWindow),
      pauseOnFailure: s.pauseOnFailure ?? false,
    },
  };
}

/**
 * An existing schedule with the given settings laid over it. The run's time zone lives in two
 * places (the spec, and the workflow input that turns the scheduled time into a run date), so
 * a new --timezone changes both.
 */
export function mergeSchedule(
  config: Config,
  prev: ScheduleDescription,
  s: ScheduleSettings,
  criteria: string | undefined,
): ScheduleUpdateOptions {
  const input = previousInput(prev);
  const timezone = s.timezone ?? prev.spec.timezone ?? input.timezone ?? SCHEDULE_DEFAULTS.timezone;
  const spec: ScheduleSpec = s.when ? specFor(s.when, timezone) : { ...prev.spec, timezone };
  return {
    ...prev,
    spec,
    action: actionFor(config, s.id, {
      ...input,
      feedPath: s.feedTemplate ?? input.feedPath,
      criteria: criteria ?? input.criteria,
      timezone,
      budgetUsd: s.budgetUsd ?? input.budgetUsd,
      dailyBudgetUsd: s.dailyBudgetUsd ?? input.dailyBudgetUsd,
      route: s.route ?? input.route,
      quality: s.qualityGate ? { ...input.quality, gate: s.qualityGate } : input.quality,
      feed: s.feed ? { ...input.feed, ...s.feed } : input.feed,
    }),
    policies: {
      overlap: s.overlap ?? prev.policies.overlap,
      catchupWindow: s.catchupWindowMs ?? prev.policies.catchupWindow,
      pauseOnFailure: s.pauseOnFailure ?? prev.policies.pauseOnFailure,
    },
  };
}

function specFor(when: When, timezone: string): ScheduleSpec {
  return 'cron' in when
    ? { cronExpressions: [when.cron], timezone }
    : {
        calendars: [
          { hour: when.hour, minute: when.minute, comment: `daily at ${hhmm(when.hour, when.minute)}` },
        ],
        timezone,
      };
}

/**
 * No run date in the input: the workflow takes it from the scheduled time in `timezone`
 * (TemporalScheduledStartTime), so a backfilled Tuesday scores Tuesday's feed. Like the task
 * queue, the attempt limit is the configuration of whoever creates or updates the schedule.
 */
function actionFor(config: Config, id: string, input: RunInput): ScheduleOptionsAction {
  const withAttempts: RunInput = { ...input, maxAttempts: config.maxAttempts };
  const clean = Object.fromEntries(
    Object.entries(withAttempts).filter(([, v]) => v !== undefined),
  ) as unknown as RunInput;
  return {
    type: 'startWorkflow',
    workflowType: 'dailyScoringRun',
    taskQueue: config.temporal.taskQueue,
    workflowId: `${id}-run`,
    args: [clean],
    staticSummary: `Scheduled daily scoring run (schedule ${id})`,
  };
}

export function previousInput(prev: ScheduleDescription): RunInput {
  const arg: unknown = prev.action.args?.[0];
  if (typeof arg !== 'object' || arg === null || typeof (arg as RunInput).feedPath !== 'string') {
    throw new Error(
      `schedule ${prev.scheduleId} does not start a dailyScoringRun with a feed: not ours to update`,
    );
  }
  return arg as RunInput;
}

const hhmm = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;

const MONTH_NAMES = [
  'JANUARY',
  'FEBRUARY',
  'MARCH',
  'APRIL',
  'MAY',
  'JUNE',
  'JULY',
  'AUGUST',
  'SEPTEMBER',
  'OCTOBER',
  'NOVEMBER',
  'DECEMBER',
];
const DAY_NAMES = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

/**
 * A calendar as the server returns it, written back as a cron line. The server compiles cron
 * strings into calendars, so this is how `describe` shows either kind the same way.
 */
export function calendarToCron(c: CalendarSpecDescription): string {
  const field = <T>(rs: Range<T>[], min: number, max: number, num: (v: T) => number): string => {
    const all = rs.length === 0 || rs.some((r) => num(r.start) <= min && num(r.end) >= max && r.step <= 1);
    if (all) return '*';
    return rs
      .map((r) => {
        const [a, b] = [num(r.start), Math.max(num(r.start), num(r.end))];
        return `${a === b ? a : `${a}-${b}`}${r.step > 1 ? `/${r.step}` : ''}`;
      })
      .join(',');
  };
  const n = (v: number) => v;
  return [
    field(c.minute, 0, 59, n),
    field(c.hour, 0, 23, n),
    field(c.dayOfMonth, 1, 31, n),
    field(c.month, 1, 12, (m) => MONTH_NAMES.indexOf(m) + 1),
    field(c.dayOfWeek, 0, 6, (d) => DAY_NAMES.indexOf(d)),
  ].join(' ');
}

export function describeWhen(c: CalendarSpecDescription): string {
  const cron = calendarToCron(c);
  const m = /^(\d+) (\d+) \* \* \*$/.exec(cron);
  return m ? `${cron}  (daily at ${hhmm(Number(m[2]), Number(m[1]))})` : cron;
}

export function formatDescription(d: ScheduleDescription): string {
  const input = previousInput(d);
  const budgets = [
    input.budgetUsd === undefined ? undefined : `run $${input.budgetUsd}`,
    input.dailyBudgetUsd === undefined ? undefined : `day $${input.dailyBudgetUsd}`,
  ].filter(Boolean);
  const when = [
    ...(d.spec.calendars ?? []).map(describeWhen),
    ...(d.spec.intervals ?? []).map((i) => `every ${humanDuration(i.every)}`),
  ];
  const lines = [
    `schedule ${d.scheduleId}${d.state.paused ? '  [PAUSED]' : ''}`,
    `  spec          ${when.join('; ') || '(none)'}`,
    `  timezone      ${d.spec.timezone ?? 'UTC'}`,
    `  policies      overlap ${d.policies.overlap} · catch-up window ${humanDuration(d.policies.catchupWindow)} · pause on failure ${d.policies.pauseOnFailure ? 'yes' : 'no'}`,
    `  action        ${d.action.workflowType} on task queue ${d.action.taskQueue}, workflow id ${d.action.workflowId}-<scheduled time>`,
    `  feed          ${input.feedPath}`,
    `  budgets       ${budgets.length ? budgets.join(' · ') : 'unlimited'}`,
    `  route         ${input.route ?? 'auto'}`,
    `  next runs     ${d.info.nextActionTimes.slice(0, 3).map(iso).join(', ') || '-'}`,
    `  actions       ${d.info.numActionsTaken} taken · ${d.info.numActionsSkippedOverlap} skipped (overlap) · ${d.info.numActionsMissedCatchupWindow} missed the catch-up window`,
  ];
  if (d.state.note) lines.push(`  note          ${d.state.note}`);
  for (const a of d.info.recentActions.slice(-5)) {
    lines.push(`  recent        ${iso(a.scheduledAt)} → ${a.action.workflow.workflowId}`);
  }
  for (const a of d.info.runningActions) lines.push(`  running       ${a.workflow.workflowId}`);
  return lines.join('\n');
}

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
