import type { RunSummary } from '../shared/messages';

export const int = (n: number): string => n.toLocaleString('en-US');
export const usd = (n: number): string => `$${n.toFixed(n >= 1 ? 2 : 4)}`;
export const compact = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : int(n);

/** Fixed-width columns for terminal tables; the first column is left-aligned, the rest right. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '),
    )
    .join('\n');
}

export function formatSummary(s: RunSummary): string {
  const reasons = Object.entries(s.deadLetterReasons)
    .map(([r, n]) => `${r} ${n}`)
    .join(', ');
  const models = table([
    ['model', 'listings', 'calls', 'prompt tok', 'output tok', 'cost'],
    ...Object.entries(s.byModel).map(([model, m]) => [
      model,
      int(m.listings),
      int(m.calls),
      compact(m.promptTokens),
      compact(m.completionTokens),
      usd(m.costUsd),
    ]),
  ]);
  const lines = [
    `Run ${s.runId} (${s.runDate}) finished in ${(s.durationMs / 1000).toFixed(1)} s`,
    `  feed          ${int(s.lines)} lines: ${int(s.planned)} planned, ${int(s.rejected)} rejected`,
    `  scored        ${int(s.scored)}${s.cacheHits ? ` (${int(s.cacheHits)} reused from the cache at no cost)` : ''}`,
    `  dead-lettered ${int(s.deadLettered)}${reasons ? ` (${reasons})` : ''}`,
    `  LLM calls     ${int(s.calls)} (${compact(s.promptTokens)} prompt + ${compact(s.completionTokens)} output tokens)`,
    `  cost          ${usd(s.costUsd)} (${usd(s.planned ? (s.costUsd / s.planned) * 1000 : 0)} per 1,000 listings)`,
    '',
    models.replace(/^/gm, '  '),
    '',
    `  scores 1..10  ${s.histogram.map((n) => int(n)).join(' · ')}`,
  ];
  const q = s.quality;
  if (q) {
    const canaries = q.quality.canaries;
    const inBand = canaries.filter((c) => c.score >= c.expectedBand[0] && c.score <= c.expectedBand[1]);
    lines.push(
      `  quality gate  ${q.drift ? q.drift.summary : 'not judged'}`,
      `                canaries ${inBand.length}/${canaries.length} within band · scores ${q.publication}` +
        (q.publication === 'held' ? ` (review: scoreline quality show ${s.runId})` : ''),
    );
  }
  if (s.rejectedSample.length) {
    lines.push(
      '',
      '  rejected feed lines (first few):',
      ...s.rejectedSample.slice(0, 5).map((r) => `    ${r}`),
    );
  }
  return lines.join('\n');
}
