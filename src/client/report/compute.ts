import type { PriceTable, Route, TokenUsage } from '../../scoring/pricing';
import type { RunSummary } from '../../shared/messages';
import type { CacheSourceUsage, CallUsage, DeadLetterRecord, RunRecord, RunTotals } from '../../store/store';
import type { Agreement } from './agreement';
import type { Orchestration } from './orchestration';

/** Everything a cost report is computed from; all of it comes from the store. */
export interface ReportInput {
  run: RunRecord;
  totals: RunTotals;
  usage: CallUsage[];
  cacheSource: CacheSourceUsage;
  histogram: number[];
  deadLetters: DeadLetterRecord[];
  largeModel: string;
  prices: PriceTable;
}

export interface CostRow {
  calls: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  costPico: number;
}

export interface CostReport {
  runId: string;
  runDate: string;
  status: string;
  planned: number;
  scored: number;
  cacheHits: number;
  deadLettered: number;
  calls: number;
  failedCalls: number;
  costPico: number;
  /** null when nothing was planned. */
  costPer1000Pico: number | null;
  byModel: Array<CostRow & { model: string }>;
  byRoute: Array<CostRow & { route: Route }>;
  byModelRoute: Array<CostRow & { model: string; route: Route }>;
  cacheHitRate: number | null;
  /** From the run's stored summary; null while the run has none (still running, or failed). */
  escalations: number | null;
  escalationRate: number | null;
  deadLettersByReason: Array<{ reason: string; count: number }>;
  histogram: number[];
  allLarge:
    | {
        model: string;
        estimatePico: number;
        callsRepriced: number;
        cacheHitsRepriced: number;
        savedPico: number;
      }
    | { model: string; unavailable: string };
  method: string;
  /** Agreement with a reference run (`report --against`); absent without one. */
  agreement?: Agreement;
  /** What Temporal billed for running it; absent when not counted, `unavailable` when it could not be. */
  orchestration?: Orchestration | { unavailable: string };
}

const emptyRow = (): CostRow => ({
  calls: 0,
  promptTokens: 0,
  cachedTokens: 0,
  completionTokens: 0,
  costPico: 0,
});
const addRow = (into: CostRow, u: CostRow) => {
  into.calls += u.calls;
  into.promptTokens += u.promptTokens;
  into.cachedTokens += u.cachedTokens;
  into.completionTokens += u.completionTokens;
  into.costPico += u.costPico;
};

function groupBy<K extends string>(usage: CallUsage[], key: (u: CallUsage) => K): Map<K, CostRow> {
  const groups = new Map<K, CostRow>();
  for (const u of usage) {
    const row = groups.get(key(u)) ?? emptyRow();
    addRow(row, u);
    groups.set(key(u), row);
  }
  return groups;
}

export function parseSummary(json: string | null | undefined): RunSummary | undefined {
  if (!json) return undefined;
  try {
    return JSON.parse(json) as RunSummary;
  } catch {
    return undefined;
  }
}

export const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

export function methodText(largeModel: string): string {
  return (
    `All-large estimate: every successful call of this run (status ok, re-asks and escalations included) ` +
    `is re-priced at ${largeModel}'s synchronous price with its own prompt, cached and completion token counts; ` +
    `each cache hit adds the tokens of the earlier call whose answer it reused, priced the same way. ` +
    `Failed calls are left out of the estimate (the actual cost includes whatever they billed). Token counts are taken as they are: a different model ` +
    `would tokenize and answer slightly differently, and an all-large run would not have made the small-model ` +
    `call before an escalation, so the figure is an estimate, slightly high where escalations were frequent.`
  );
}

/** The cost report's figures. Pure: the arithmetic is tested without a store. */
export function computeReport(input: ReportInput): CostReport {
  const { run, totals, usage, cacheSource, largeModel, prices } = input;
  const costPico = usage.reduce((s, u) => s + u.costPico, 0);
  const calls = usage.reduce((s, u) => s + u.calls, 0);
  const ok = usage.filter((u) => u.status === 'ok');
  const summary = parseSummary(run.summaryJson);
  const escalations = summary ? summary.escalations : null;
  const sentToLlm = totals.planned - totals.cached;

  const reasons = new Map<string, number>();
  for (const d of input.deadLetters) reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);

  let allLarge: CostReport['allLarge'];
  if (!prices.has(largeModel)) {
    allLarge = { model: largeModel, unavailable: `no price for ${largeModel} in the price table` };
  } else {
    const tokens = (u: TokenUsage) => prices.costPico(largeModel, u, 'sync');
    // Prices are per token, so pricing summed tokens equals summing per-call prices exactly.
    const estimatePico = ok.reduce((s, u) => s + tokens(u), 0) + tokens(cacheSource);
    allLarge = {
      model: largeModel,
      estimatePico,
      callsRepriced: ok.reduce((s, u) => s + u.calls, 0),
      cacheHitsRepriced: cacheSource.hits,
      savedPico: estimatePico - costPico,
    };
  }

  const sorted = <T extends { costPico: number }>(rows: T[]) => rows.sort((a, b) => b.costPico - a.costPico);
  return {
    runId: run.runId,
    runDate: run.runDate,
    status: run.status,
    planned: totals.planned,
    scored: totals.scored,
    cacheHits: totals.cached,
    deadLettered: totals.deadLettered,
    calls,
    failedCalls: usage.filter((u) => u.status === 'error').reduce((s, u) => s + u.calls, 0),
    costPico,
    costPer1000Pico: totals.planned > 0 ? (costPico / totals.planned) * 1000 : null,
    byModel: sorted([...groupBy(usage, (u) => u.model)].map(([model, r]) => ({ model, ...r }))),
    byRoute: sorted([...groupBy(usage, (u) => u.route)].map(([route, r]) => ({ route, ...r }))),
    byModelRoute: sorted(
      [...groupBy(usage, (u) => `${u.model}\0${u.route}`)].map(([key, r]) => {
        const [model = '', route = 'sync'] = key.split('\0');
        return { model, route: route as Route, ...r };
      }),
    ),
    cacheHitRate: ratio(totals.cached, totals.planned),
    escalations,
    escalationRate: escalations === null ? null : ratio(escalations, sentToLlm),
    deadLettersByReason: [...reasons]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    histogram: Array.from({ length: 10 }, (_, i) => input.histogram[i] ?? 0),
    allLarge,
    method: methodText(largeModel),
  };
}
