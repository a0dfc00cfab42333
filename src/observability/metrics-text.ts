/**
 * A reader for the Prometheus text exposition format (0.0.4), just enough for tests and the
 * benchmark/chaos scripts to read counters back from a scrape. Not a validator: comment and
 * malformed lines are skipped.
 */

/** Series key (`name{a="x",b="y"}`, labels sorted by name; bare `name` without labels) → value. */
export type Samples = Record<string, number>;

interface Series {
  name: string;
  labels: Record<string, string>;
}

/**
 * Parses an exposition into a flat map. Keys are canonical, so `metricKey()` finds a series
 * whatever order the exporter wrote its labels in. If the same series appears twice (two
 * concatenated expositions that overlap), the later value wins.
 */
export function parsePrometheusText(text: string): Samples {
  const samples: Samples = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const parsed = parseSeries(line);
    if (!parsed) continue;
    // After the series: the value, then an optional millisecond timestamp we do not need.
    const value = parseValue(line.slice(parsed.end).trim().split(/\s+/)[0] ?? '');
    if (value === undefined) continue;
    samples[metricKey(parsed.series.name, parsed.series.labels)] = value;
  }
  return samples;
}

/** The canonical key of a series, e.g. `metricKey('x_total', { b: '2', a: '1' })` → `x_total{a="1",b="2"}`. */
export function metricKey(name: string, labels: Record<string, string> = {}): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return name;
  return `${name}{${names.map((l) => `${l}="${escapeLabel(labels[l] ?? '')}"`).join(',')}}`;
}

/**
 * Sums every series of `name` whose labels include all of `match`, e.g. the calls of one
 * model across outcomes: `sumSamples(s, 'scoreline_llm_calls_total', { model: 'gpt-4.1-mini' })`.
 */
export function sumSamples(samples: Samples, name: string, match: Record<string, string> = {}): number {
  let total = 0;
  for (const [key, value] of Object.entries(samples)) {
    const parsed = parseSeries(key);
    if (!parsed || parsed.series.name !== name) continue;
    if (Object.entries(match).every(([l, v]) => parsed.series.labels[l] === v)) total += value;
  }
  return total;
}

/** Reads `name` and an optional `{...}` label set from the start of `line`. */
function parseSeries(line: string): { series: Series; end: number } | undefined {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) return undefined;
  const name = nameMatch[0];
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] !== '{') return { series: { name, labels }, end: i };
  i += 1;
  // A character scanner rather than a regex: label values may contain `,`, `}`, `"` and `\`.
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === ',') i += 1;
    if (line[i] === '}') return { series: { name, labels }, end: i + 1 };
    const labelMatch = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"/.exec(line.slice(i));
    if (!labelMatch?.[1]) return undefined;
    i += labelMatch[0].length;
    let value = '';
    for (; i < line.length && line[i] !== '"'; i += 1) {
      if (line[i] === '\\') {
        i += 1;
        value += line[i] === 'n' ? '\n' : (line[i] ?? '');
      } else {
        value += line[i];
      }
    }
    if (line[i] !== '"') return undefined;
    i += 1;
    labels[labelMatch[1]] = value;
  }
  return undefined;
}

function parseValue(token: string): number | undefined {
  if (token === '+Inf' || token === 'Inf') return Infinity;
  if (token === '-Inf') return -Infinity;
  if (token === 'NaN') return NaN;
  if (token === '') return undefined;
  const n = Number(token);
  return Number.isNaN(n) ? undefined : n;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
