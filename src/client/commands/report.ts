import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../../config';
import type { PriceTable } from '../../scoring/pricing';
import type { Store } from '../../store/store';
import { scorePages } from '../../store/paging';
import { ArgumentError, nonEmpty } from '../args';
import { compact, int, table, usd } from '../format';
import { withClient } from '../connect';
import { runActions } from '../report/actions';
import { computeAgreement, type Agreement, type AgreementScore } from '../report/agreement';
import { computeReport, type CostReport } from '../report/compute';
import { orchestrationOf } from '../report/orchestration';
import {
  AGREEMENT_HEAD,
  agreementRows,
  orchestrationText,
  pct,
  referenceModelsText,
  renderReportHtml,
  savedText,
} from '../report/html';
import { requireRun, storeName, withStore } from '../store-access';
import { picoToUsd } from '../../shared/money';

/**
 * Reads everything the report needs from the store and prices it with the deployment's table;
 * with `against`, also joins the run's scores with that reference run's.
 */
export async function buildReport(
  config: Config,
  runId: string,
  prices: PriceTable = config.prices,
  against?: string,
  actions?: { usdPerMillion: number },
): Promise<CostReport> {
  const id = nonEmpty('<runId>', runId);
  const referenceId = against === undefined ? undefined : nonEmpty('--against', against);
  if (referenceId === id) throw new ArgumentError(`--against must name another run than ${id}`);
  return withStore(config, async (s) => {
    const run = await requireRun(config, s, id);
    if (referenceId !== undefined && !(await s.getRun(referenceId))) {
      throw new ArgumentError(`--against: no run "${referenceId}" in ${storeName(config)}`);
    }
    const [totals, usage, cacheSource, histogram, deadLetters] = await Promise.all([
      s.runTotals(id),
      s.callUsage(id),
      s.cacheSourceUsage(id),
      s.scoreHistogram(id),
      s.listDeadLetters(id),
    ]);
    const report = computeReport({
      run,
      totals,
      usage,
      cacheSource,
      histogram,
      deadLetters,
      largeModel: config.models.large,
      prices,
    });
    if (actions)
      report.orchestration = await countOrchestration(config, id, totals.planned, actions.usdPerMillion);
    if (referenceId === undefined) return report;
    const [scores, reference] = await Promise.all([allScores(s, id), allScores(s, referenceId)]);
    const agreement = computeAgreement({
      runId: id,
      referenceRunId: referenceId,
      run: scores,
      reference,
      models: config.models,
    });
    return { ...report, agreement };
  });
}

/**
 * The run's Temporal actions, counted from its histories. The LLM figures come from the store
 * and stand on their own: a cluster that cannot be reached, or histories already gone past
 * the namespace's retention, leave this line unavailable and say why.
 */
async function countOrchestration(
  config: Config,
  runId: string,
  planned: number,
  usdPerMillion: number,
): Promise<NonNullable<CostReport['orchestration']>> {
  try {
    const counted = await withClient(config, (client) => runActions(client, runId));
    if (counted.executions === 0) {
      return { unavailable: `no workflow history for ${runId} (past the namespace's retention?)` };
    }
    return orchestrationOf(counted, planned, usdPerMillion);
  } catch (err) {
    return { unavailable: err instanceof Error ? err.message : String(err) };
  }
}

/** Every score of a run, page by page, without the reasoning text. */
async function allScores(s: Store, runId: string): Promise<AgreementScore[]> {
  const out: AgreementScore[] = [];
  for await (const page of scorePages(s, runId, 10_000))
    for (const { listingId, score, model, source, contentHash } of page) {
      out.push({ listingId, score, model, source, contentHash });
    }
  return out;
}

export function formatReport(r: CostReport): string {
  const cost = (p: number) => usd(picoToUsd(p));
  const lines = [
    `Cost report: ${r.runId} (${r.runDate}, ${r.status})`,
    `  total cost          ${cost(r.costPico)} for ${int(r.calls)} calls (${int(r.failedCalls)} failed)`,
    ...(r.orchestration ? [`  orchestration       ${orchestrationText(r.orchestration, r.costPico)}`] : []),
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
    ...(r.agreement ? ['', formatAgreement(r.agreement)] : []),
  ];
  return lines.join('\n');
}

export function formatAgreement(a: Agreement): string {
  return [
    `Agreement with ${a.referenceRunId} (its scores by ${referenceModelsText(a)}), joined by listing id`,
    table([AGREEMENT_HEAD, ...agreementRows(a)]).replace(/^/gm, '  '),
    `  not compared: ${int(a.onlyInRun)} only in this run, ${int(a.onlyInReference)} only in the reference, ` +
      `${int(a.contentChanged)} with changed content`,
  ].join('\n');
}

function nonNegative(flag: string, raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new ArgumentError(`${flag} must be a number of US dollars, 0 or more (got "${raw}")`);
  }
  return n;
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
export async function report(
  config: Config,
  runId: string,
  o: { html?: string; against?: string; actions?: boolean; actionPricePerMillion?: string } = {},
): Promise<string> {
  const usdPerMillion =
    o.actionPricePerMillion === undefined
      ? config.actionPriceUsdPerMillion
      : nonNegative('--action-price-per-million', o.actionPricePerMillion);
  const actions = o.actions === false ? undefined : { usdPerMillion };
  const r = await buildReport(config, runId, config.prices, o.against, actions);
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
    .option(
      '--against <runId>',
      'agreement with a reference run (e.g. all-large) of the same feed: exact, within ±1, mean difference',
    )
    .option(
      '--action-price-per-million <usd>',
      'USD per million Temporal actions for the orchestration line (default SCORELINE_ACTION_PRICE_PER_MILLION or 50)',
    )
    .option('--no-actions', 'skip counting Temporal actions (the report then reads only the store)')
    .action(
      async (
        runId: string,
        o: { html?: string; against?: string; actions?: boolean; actionPricePerMillion?: string },
      ) => out(await report(config(), runId, o)),
    );
}
