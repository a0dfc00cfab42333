import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../../config';
import type { PriceTable } from '../../scoring/pricing';
import { nonEmpty } from '../args';
import { compact, int, table, usd } from '../format';
import { computeReport, type CostReport } from '../report/compute';
import { pct, renderReportHtml, savedText } from '../report/html';
import { requireRun, withStore } from '../store-access';

/** Reads everything the report needs from the store and prices it with the deployment's table. */
export async function buildReport(
  config: Config,
  runId: string,
  prices: PriceTable = config.prices,
): Promise<CostReport> {
  const id = nonEmpty('<runId>', runId);
  return withStore(config, async (s) => {
    const run = await requireRun(config, s, id);
    const [totals, usage, cacheSource, histogram, deadLetters] = await Promise.all([
      s.runTotals(id),
      s.callUsage(id),
      s.cacheSourceUsage(id),
      s.scoreHistogram(id),
      s.listDeadLetters(id),
    ]);
    return computeReport({
      run,
      totals,
      usage,
      cacheSource,
      histogram,
      deadLetters,
      largeModel: config.models.large,
      prices,
    });
  });
}

export function formatReport(r: CostReport): string {
  const cost = (p: number) => usd(p / 1e12);
  const lines = [
    `Cost report: ${r.runId} (${r.runDate}, ${r.status})`,
    `  total cost          ${cost(r.costPico)} for ${int(r.calls)} calls (${int(r.failedCalls)} failed)`,
    `  per 1,000 listings  ${r.costPer1000Pico === null ? 'n/a' : cost(r.costPer1000Pico)} (${int(r.planned)} planned)`,
    `  scored              ${int(r.scored)} · dead-lettered ${int(r.deadLettered)}`,
    `  cache hit rate      ${pct(r.cacheHitRate)} (${int(r.cacheHits)} of ${int(r.planned)} planned)`,
    `  escalation rate     ${pct(r.escalationRate)}${r.escalations === null ? ' (no stored summary yet)' : ` (${int(r.escalations)} of ${int(r.planned - r.cacheHits)} sent to an LLM)`}`,
    'estimatePico' in r.allLarge
      ? `  ${`all-${r.allLarge.model} sync`.padEnd(20)}${cost(r.allLarge.estimatePico)} estimated: ${savedText(r)}`
      : `  ${`all-${r.allLarge.model} sync`.padEnd(20)}n/a: ${r.allLarge.unavailable}`,
    '',
    table([
      ['model', 'route', 'calls', 'prompt', 'cached', 'output', 'cost'],
      ...r.byModelRoute.map((m) => [
        m.model,
        m.route,
        int(m.calls),
        compact(m.promptTokens),
        compact(m.cachedTokens),
        compact(m.completionTokens),
        cost(m.costPico),
      ]),
    ]).replace(/^/gm, '  '),
    '',
    `  by route            ${r.byRoute.map((x) => `${x.route} ${cost(x.costPico)}`).join(' · ') || '-'}`,
    `  dead letters        ${r.deadLettersByReason.map((d) => `${d.reason} ${d.count}`).join(' · ') || 'none'}`,
    `  scores 1..10        ${r.histogram.map((n) => int(n)).join(' · ')}`,
    '',
    wrap(r.method, 96).replace(/^/gm, '  '),
  ];
  return lines.join('\n');
}

function wrap(text: string, width: number): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.join('\n');
}

/** The text report; with `html`, also the self-contained HTML file at that path. */
export async function report(config: Config, runId: string, o: { html?: string } = {}): Promise<string> {
  const r = await buildReport(config, runId);
  const text = formatReport(r);
  if (o.html === undefined) return text;
  const path = resolve(nonEmpty('--html', o.html));
  writeFileSync(path, renderReportHtml(r));
  return `${text}\n\nwrote ${path}`;
}

export function registerReportCommand(
  program: Command,
  config: () => Config,
  out: (s: string) => void,
): void {
  program
    .command('report <runId>')
    .description(
      'cost report: by model and route, per 1,000 listings, cache and escalation rates, all-large estimate',
    )
    .option('--html <file>', 'also write a self-contained HTML report (inline SVG charts)')
    .action(async (runId: string, o: { html?: string }) => out(await report(config(), runId, o)));
}
