const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 for a strict `YYYY-MM-DD` date; throws on anything else, e.g. 2023-02-29. */
export function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m === null) throw new RangeError(`expected a date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  // Date.UTC rolls 02-30 over into March; a round trip catches every impossible date.
  if (isoDate(ms / MS_PER_DAY) !== date) throw new RangeError(`not a real calendar date: ${date}`);
  return ms / MS_PER_DAY;
}

/** `YYYY-MM-DD` for a day number. Memoised: a feed uses a few dozen distinct days a million times. */
export function isoDate(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    if (isoCache.size < 100_000) isoCache.set(day, s);
  }
  return s;
}
const isoCache = new Map<number, string>();
