/**
 * What an OpenAI-style provider says about its limits on every response (and on a 429):
 * `x-ratelimit-limit-{requests,tokens}`, `x-ratelimit-remaining-{requests,tokens}` and
 * `x-ratelimit-reset-{requests,tokens}` (the time until that bucket is full again, written as
 * a Go duration such as "6m0s", "8.64s" or "20ms"). Absent or malformed values are left out.
 */
export interface ProviderLimits {
  limitRequests?: number;
  limitTokens?: number;
  remainingRequests?: number;
  remainingTokens?: number;
  resetRequestsMs?: number;
  resetTokensMs?: number;
}

type HeaderSource = { get(name: string): string | null } | Record<string, string | undefined>;

function header(h: HeaderSource, name: string): string | undefined {
  if (typeof (h as { get?: unknown }).get === 'function') return (h as Headers).get(name) ?? undefined;
  return (h as Record<string, string | undefined>)[name];
}

function count(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  return Number(value);
}

const UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 1e-6,
};

/** A Go duration ("1h2m3.5s", "20ms") in milliseconds; undefined if it is not one. */
export function parseDuration(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '' || text === '0') return text === '0' ? 0 : undefined;
  let total = 0;
  let rest = text;
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    rest = rest.slice(m[0].length);
  }
  return total;
}

export function parseRateLimitHeaders(h: HeaderSource): ProviderLimits {
  const out: ProviderLimits = {};
  const set = <K extends keyof ProviderLimits>(key: K, v: number | undefined) => {
    if (v !== undefined) out[key] = v;
  };
  set('limitRequests', count(header(h, 'x-ratelimit-limit-requests')));
  set('limitTokens', count(header(h, 'x-ratelimit-limit-tokens')));
  set('remainingRequests', count(header(h, 'x-ratelimit-remaining-requests')));
  set('remainingTokens', count(header(h, 'x-ratelimit-remaining-tokens')));
  set('resetRequestsMs', parseDuration(header(h, 'x-ratelimit-reset-requests')));
  set('resetTokensMs', parseDuration(header(h, 'x-ratelimit-reset-tokens')));
  return out;
}
