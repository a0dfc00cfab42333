/** Calendar days in IANA time zones, for schedules and backfills (Intl only, no date library). */

/** The calendar date of `instant` in `timeZone` (en-CA formats as YYYY-MM-DD). */
export function dateIn(timeZone: string, instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** The instant a calendar date starts in a time zone (DST-aware: the offset is the one at that time). */
export function zonedMidnight(date: string, timeZone: string): Date {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  let guess = wall;
  for (let i = 0; i < 3; i++) guess = wall - offsetMs(guess, timeZone);
  return new Date(guess);
}

function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The days from..to, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * The backfill window for whole local days from..to: from the first day's midnight to one
 * second before the day after's, so an action at 00:00 of the following day is not included.
 */
export function backfillWindow(from: string, to: string, timeZone: string): { start: Date; end: Date } {
  return {
    start: zonedMidnight(from, timeZone),
    end: new Date(zonedMidnight(addDays(to, 1), timeZone).getTime() - 1000),
  };
}
