import { int, usd } from '../format';
import type { Agreement, AgreementRow } from './agreement';
import type { CostReport } from './compute';
import { picoToUsd } from '../../shared/money';

/**
 * The cost report as one self-contained HTML file: inline CSS and inline SVG only, no scripts
 * and no external assets, so it can be mailed, archived or opened offline as it is.
 */
export function renderReportHtml(r: CostReport, generatedAt = new Date()): string {
  const cards: Array<[string, string, string?]> = [
    ['Total cost', usd(picoToUsd(r.costPico)), `${int(r.calls)} LLM calls, ${int(r.failedCalls)} failed`],
    [
      'Per 1,000 listings',
      r.costPer1000Pico === null ? 'n/a' : usd(picoToUsd(r.costPer1000Pico)),
      `${int(r.planned)} planned`,
    ],
    ['Scored', int(r.scored), `${int(r.deadLettered)} dead-lettered`],
    ['Cache hit rate', pct(r.cacheHitRate), `${int(r.cacheHits)} answers reused at no cost`],
    [
      'Escalation rate',
      pct(r.escalationRate),
      r.escalations === null ? 'no summary stored yet' : `${int(r.escalations)} escalated to the large model`,
    ],
    'estimatePico' in r.allLarge
      ? [
          `All-${r.allLarge.model} sync estimate`,
          usd(picoToUsd(r.allLarge.estimatePico)),
          `${savedText(r)} by routing, batching and caching`,
        ]
      : [`All-${r.allLarge.model} estimate`, 'n/a', r.allLarge.unavailable],
    ...(r.orchestration ? [orchestrationCard(r.orchestration, r.costPico)] : []),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Scoreline cost report: ${esc(r.runId)}</title>
<style>
  body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; background: #f6f7f9; margin: 0; }
  main { max-width: 980px; margin: 0 auto; padding: 28px 32px 40px; }
  h1 { font-size: 24px; margin: 0 0 4px; }
  h2 { font-size: 17px; margin: 30px 0 10px; }
  .sub { color: #5b6475; margin: 0 0 20px; }
  .cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; }
  .card { background: #fff; border: 1px solid #dde1e8; border-radius: 8px; padding: 12px 14px; }
  .card .k { color: #5b6475; font-size: 13px; }
  .card .v { font-size: 26px; font-weight: 650; margin: 2px 0; }
  .card .n { color: #5b6475; font-size: 12.5px; }
  .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
  .panel { background: #fff; border: 1px solid #dde1e8; border-radius: 8px; padding: 12px 14px; }
  table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid #dde1e8; }
  th, td { padding: 6px 10px; border-bottom: 1px solid #eceff3; text-align: right; font-variant-numeric: tabular-nums; }
  th:first-child, td:first-child { text-align: left; }
  th { background: #f0f2f5; font-weight: 600; font-size: 13px; }
  .method { color: #3b4352; font-size: 13.5px; background: #fff; border-left: 4px solid #4c6ef5; padding: 10px 14px; }
  svg text { font: 12px system-ui, sans-serif; fill: #1d2330; }
</style>
</head>
<body><main>
<h1>Cost report: ${esc(r.runId)}</h1>
<p class="sub">Run date ${esc(r.runDate)} · status ${esc(r.status)} · generated ${esc(generatedAt.toISOString().slice(0, 19))}Z</p>
<div class="cards">
${cards.map(([k, v, n]) => `<div class="card"><div class="k">${esc(k)}</div><div class="v">${esc(v)}</div><div class="n">${esc(n ?? '')}</div></div>`).join('\n')}
</div>
<div class="charts">
<div><h2>Scores (1–10)</h2><div class="panel">${histogramSvg(r.histogram)}</div></div>
<div><h2>Cost by model and route</h2><div class="panel">${costBarsSvg(r)}</div></div>
</div>
<h2>By model</h2>
${htmlTable(
  ['model', 'calls', 'prompt tokens', 'cached', 'completion', 'cost'],
  r.byModel.map((m) => [
    m.model,
    int(m.calls),
    int(m.promptTokens),
    int(m.cachedTokens),
    int(m.completionTokens),
    usd(picoToUsd(m.costPico)),
  ]),
)}
<h2>By route</h2>
${htmlTable(
  ['route', 'calls', 'prompt tokens', 'completion', 'cost'],
  r.byRoute.map((m) => [
    m.route,
    int(m.calls),
    int(m.promptTokens),
    int(m.completionTokens),
    usd(picoToUsd(m.costPico)),
  ]),
)}
<h2>Dead letters by reason</h2>
${
  r.deadLettersByReason.length
    ? htmlTable(
        ['reason', 'listings'],
        r.deadLettersByReason.map((d) => [d.reason, int(d.count)]),
      )
    : '<p>None.</p>'
}
<h2>Method</h2>
<p class="method">${esc(r.method)}</p>
${r.agreement ? agreementHtml(r.agreement) : ''}
</main></body>
</html>
`;
}

/** What produced a score, for people: the model and its tier, or the cache. */
export function producerLabel(p: Agreement['byProducer'][number]): string {
  return p.producer === 'cache'
    ? 'cache'
    : `${p.model ?? '?'} (${p.producer === 'other' ? 'fallback' : p.producer})`;
}

export const AGREEMENT_HEAD = ['scored by', 'listings', 'exact', 'within ±1', 'mean |diff|'];

/** One row for all compared listings, then one per producer, as AGREEMENT_HEAD names them. */
export function agreementRows(a: Agreement): string[][] {
  const row = (label: string, r: AgreementRow) => [
    label,
    int(r.compared),
    pct(r.exact),
    pct(r.withinOne),
    r.meanAbsDiff.toFixed(2),
  ];
  return [row('all', a), ...a.byProducer.map((p) => row(producerLabel(p), p))];
}

/** The reference's models with their shares, e.g. "gpt-4o 100.0%". */
export function referenceModelsText(a: Agreement): string {
  return a.referenceModels.map((m) => `${m.model} ${pct(m.listings / a.compared)}`).join(', ');
}

function agreementHtml(a: Agreement): string {
  const models = referenceModelsText(a);
  return `<h2>Agreement with ${esc(a.referenceRunId)}</h2>
<p class="sub">Scores joined by listing id; the reference's scores are by ${esc(models)}. Not compared: ${esc(int(a.onlyInRun))} only in this run, ${esc(int(a.onlyInReference))} only in the reference, ${esc(int(a.contentChanged))} with changed content.</p>
${htmlTable(AGREEMENT_HEAD, agreementRows(a))}`;
}

/** The orchestration bill in words: actions, per listing, price, next to the LLM bill. */
export function orchestrationText(o: NonNullable<CostReport['orchestration']>, llmPico: number): string {
  if ('unavailable' in o) return `not counted: ${o.unavailable}`;
  const per = o.perListing === null ? 'n/a' : o.perListing.toFixed(2);
  return (
    `${usd(picoToUsd(o.costPico))} for ${int(o.actions)} Temporal actions (${per} per listing, ` +
    `$${o.usdPerMillion} per million) next to ${usd(picoToUsd(llmPico))} of LLM calls`
  );
}

function orchestrationCard(
  o: NonNullable<CostReport['orchestration']>,
  llmPico: number,
): [string, string, string] {
  if ('unavailable' in o) return ['Orchestration', 'n/a', o.unavailable];
  const per = o.perListing === null ? 'n/a' : o.perListing.toFixed(2);
  return [
    'Orchestration',
    usd(picoToUsd(o.costPico)),
    `${int(o.actions)} Temporal actions, ${per} per listing at $${o.usdPerMillion}/M; LLM ${usd(picoToUsd(llmPico))}`,
  ];
}

export function savedText(r: CostReport): string {
  if (!('estimatePico' in r.allLarge)) return 'n/a';
  const saved = picoToUsd(r.allLarge.savedPico);
  const share = r.allLarge.estimatePico > 0 ? r.allLarge.savedPico / r.allLarge.estimatePico : 0;
  return saved >= 0 ? `${usd(saved)} (${(share * 100).toFixed(0)}%) saved` : `${usd(-saved)} more`;
}

export const pct = (v: number | null): string => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlTable(head: string[], rows: string[][]): string {
  const tr = (cells: string[], tag: 'td' | 'th') =>
    `<tr>${cells.map((c) => `<${tag}>${esc(c)}</${tag}>`).join('')}</tr>`;
  return `<table>${tr(head, 'th')}${rows.map((r) => tr(r, 'td')).join('')}</table>`;
}

/** Ten vertical bars, count above each, score below. */
export function histogramSvg(histogram: number[]): string {
  const w = 440;
  const h = 230;
  const top = 22;
  const base = h - 28;
  const max = Math.max(1, ...histogram);
  const slot = (w - 20) / 10;
  const bars = histogram
    .map((n, i) => {
      const bh = Math.round(((base - top) * n) / max);
      const x = 10 + i * slot + 5;
      const color = i >= 6 ? '#2f9e44' : i >= 3 ? '#4c6ef5' : '#adb5bd';
      return (
        `<rect x="${x.toFixed(1)}" y="${base - bh}" width="${(slot - 10).toFixed(1)}" height="${bh}" fill="${color}" rx="2"/>` +
        `<text x="${(x + (slot - 10) / 2).toFixed(1)}" y="${base - bh - 5}" text-anchor="middle">${int(n)}</text>` +
        `<text x="${(x + (slot - 10) / 2).toFixed(1)}" y="${base + 17}" text-anchor="middle">${i + 1}</text>`
      );
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-label="score histogram"><line x1="10" y1="${base}" x2="${w - 10}" y2="${base}" stroke="#868e96"/>${bars}</svg>`;
}

/** One horizontal bar per model and route, coloured by route, labelled with its cost. */
export function costBarsSvg(r: CostReport): string {
  const rows = r.byModelRoute;
  const w = 440;
  const rowH = 30;
  const labelW = 150;
  const valueW = 80;
  const h = Math.max(1, rows.length) * rowH + 40;
  const max = Math.max(1, ...rows.map((m) => m.costPico));
  const colors: Record<string, string> = { sync: '#4c6ef5', batch: '#f08c00' };
  const bars = rows
    .map((m, i) => {
      const y = 10 + i * rowH;
      const bw = Math.max(m.costPico > 0 ? 2 : 0, Math.round(((w - labelW - valueW) * m.costPico) / max));
      return (
        `<text x="${labelW - 8}" y="${y + 17}" text-anchor="end">${esc(`${m.model} · ${m.route}`)}</text>` +
        `<rect x="${labelW}" y="${y + 4}" width="${bw}" height="${rowH - 10}" fill="${colors[m.route] ?? '#868e96'}" rx="2"/>` +
        `<text x="${labelW + bw + 6}" y="${y + 17}">${esc(usd(picoToUsd(m.costPico)))}</text>`
      );
    })
    .join('');
  const empty = rows.length ? '' : `<text x="${w / 2}" y="24" text-anchor="middle">no calls</text>`;
  const legendY = h - 14;
  const legend =
    `<rect x="${labelW}" y="${legendY - 10}" width="12" height="12" fill="${colors.sync}"/><text x="${labelW + 18}" y="${legendY}">sync</text>` +
    `<rect x="${labelW + 70}" y="${legendY - 10}" width="12" height="12" fill="${colors.batch}"/><text x="${labelW + 88}" y="${legendY}">batch (half price)</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-label="cost by model and route">${bars}${empty}${legend}</svg>`;
}
