import { isAbsolute, resolve } from 'node:path';
import { ScheduleOverlapPolicy } from '@temporalio/client';

/**
 * Argument validation for the CLI. Every check names the flag it rejects, so a typo in a
 * cron job's command line reads as "--at must be …" rather than a gRPC error from the server.
 * The command functions call these themselves (not only commander's parsers), so tests and
 * scripts that call them directly get the same errors.
 */
export class ArgumentError extends Error {
  override name = 'ArgumentError';
}

const fail = (message: string): never => {
  throw new ArgumentError(message);
};

export function isoDate(flag: string, v: string): string {
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
  return ok ? v : fail(`${flag} must be a date like 2026-11-29, got "${v}"`);
}

export function isoInstant(flag: string, v: string): string {
  return Number.isNaN(Date.parse(v))
    ? fail(`${flag} must be an ISO date or time, got "${v}"`)
    : new Date(v).toISOString();
}

export function positiveInt(flag: string, v: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(v);
  return /^\d+$/.test(v.trim()) && Number.isInteger(n) && n >= 1 && n <= max
    ? n
    : fail(`${flag} must be a whole number from 1 to ${max}, got "${v}"`);
}

/** A spend limit in USD: positive, and at most a million so a stray extra digit group is caught. */
export function usdAmount(flag: string, v: string): number {
  const n = Number(v.replace(/^\$/, ''));
  return /^\$?\d+(\.\d+)?$/.test(v.trim()) && n > 0 && n <= 1_000_000
    ? n
    : fail(`${flag} must be an amount in USD greater than 0 (like 2.50), got "${v}"`);
}

export function timeOfDay(flag: string, v: string): { hour: number; minute: number } {
  const m = /^(\d{1,2}):(\d{2})$/.exec(v.trim());
  const hour = Number(m?.[1]);
  const minute = Number(m?.[2]);
  return m && hour <= 23 && minute <= 59
    ? { hour, minute }
    : fail(`${flag} must be a time of day like 06:00 (00:00–23:59), got "${v}"`);
}

export function timeZone(flag: string, v: string): string {
  try {
    // Intl knows the same IANA database the server loads; an unknown zone throws RangeError.
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return v;
  } catch {
    return fail(`${flag} must be an IANA time zone like Europe/Berlin or UTC, got "${v}"`);
  }
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59, names: [] as string[] },
  { name: 'hour', min: 0, max: 23, names: [] as string[] },
  { name: 'day of month', min: 1, max: 31, names: [] as string[] },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: DAYS },
];
const CRON_SHORTHANDS = ['@daily', '@weekly', '@monthly', '@yearly'];

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week) that fires at most
 * once a day: every run scores the whole day's feed, so a second run the same day only repeats
 * work. Day fields may use lists, ranges, steps and names (MON-FRI, JAN).
 */
export function cronExpression(flag: string, v: string): string {
  const expr = v.trim().replace(/\s+/g, ' ');
  if (CRON_SHORTHANDS.includes(expr)) return expr;
  const fields = expr.split(' ');
  if (fields.length !== 5) {
    fail(
      `${flag} must have five fields (minute hour day-of-month month day-of-week) like "0 6 * * *", got "${v}"`,
    );
  }
  fields.forEach((field, i) => {
    const spec = CRON_FIELDS[i];
    if (spec && !validCronField(field, spec.min, spec.max, spec.names)) {
      fail(`${flag}: the ${spec.name} field "${field}" is not valid (${spec.min}–${spec.max}), in "${v}"`);
    }
  });
  if (!/^\d+$/.test(fields[0] ?? '') || !/^\d+$/.test(fields[1] ?? '')) {
    fail(
      `${flag} must fire at most once a day (one minute and one hour, like "0 6 * * 1-5"): ` +
        `each run scores the whole day's feed; got "${v}"`,
    );
  }
  return expr;
}

function validCronField(field: string, min: number, max: number, names: string[]): boolean {
  const value = (s: string): number | undefined => {
    const named = names.indexOf(s.toUpperCase());
    if (named >= 0) return names === MONTHS ? named + 1 : named;
    return /^\d+$/.test(s) ? Number(s) : undefined;
  };
  const inRange = (n: number | undefined) => n !== undefined && n >= min && n <= max;
  return field.split(',').every((item) => {
    const [range = '', step, extra] = item.split('/');
    if (extra !== undefined || (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)))
      return false;
    if (range === '*') return true;
    const [a, b, more] = range.split('-');
    if (more !== undefined || a === undefined) return false;
    const from = value(a);
    const to = b === undefined ? from : value(b);
    return inRange(from) && inRange(to) && (from ?? 0) <= (to ?? 0);
  });
}

export const OVERLAP_POLICIES = [
  ScheduleOverlapPolicy.SKIP,
  ScheduleOverlapPolicy.BUFFER_ONE,
  ScheduleOverlapPolicy.BUFFER_ALL,
  ScheduleOverlapPolicy.ALLOW_ALL,
  ScheduleOverlapPolicy.CANCEL_OTHER,
  ScheduleOverlapPolicy.TERMINATE_OTHER,
] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

export function overlapPolicy(
  flag: string,
  v: string,
  allowed: readonly OverlapPolicy[] = OVERLAP_POLICIES,
): OverlapPolicy {
  const found = allowed.find((p) => p === v.trim().toUpperCase().replace(/-/g, '_'));
  return found ?? fail(`${flag} must be one of ${allowed.join(', ')}, got "${v}"`);
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const UNIT_WORDS: Record<string, string> = {
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
};

/** A duration like "1 day", "12h" or "30m", in milliseconds, within [minMs, maxMs]. */
export function duration(flag: string, v: string, minMs = 60_000, maxMs = 366 * 86_400_000): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(v.trim());
  const unit = UNIT_WORDS[m?.[2]?.toLowerCase() ?? ''];
  const ms = m && unit ? Number(m[1]) * (UNIT_MS[unit] ?? 0) : Number.NaN;
  if (!(ms >= minMs && ms <= maxMs)) {
    fail(
      `${flag} must be a duration from ${humanDuration(minMs)} to ${humanDuration(maxMs)} like "1 day", "12h" or "30m", got "${v}"`,
    );
  }
  return Math.round(ms);
}

export function humanDuration(ms: number): string {
  for (const [unit, size] of [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}${ms === size ? '' : 's'}`;
  }
  return `${ms} ms`;
}

/** A feed path template: absolute after resolving, and naming the day with {date}. */
export function feedTemplate(flag: string, v: string): string {
  if (!v.includes('{date}')) {
    fail(`${flag} must contain {date} so each day reads its own feed (like feeds/{date}.jsonl), got "${v}"`);
  }
  return isAbsolute(v) ? v : resolve(v);
}

export function choice<T extends string>(flag: string, v: string, choices: readonly T[]): T {
  const found = choices.find((c) => c === v);
  return found ?? fail(`${flag} must be one of ${choices.join(', ')}, got "${v}"`);
}

export function nonEmpty(flag: string, v: string | undefined): string {
  const t = v?.trim() ?? '';
  return t ? t : fail(`${flag} must not be empty`);
}
