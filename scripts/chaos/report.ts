import type { RunSummary } from '../../src/shared/messages';
import type { SimStats } from '../../simulator';
import type { Accounting } from './accounting';

export interface ChaosEvent {
  atMs: number;
  /** The run's finished fraction when it fired. */
  fraction: number;
  label: string;
}

export interface ChaosFacts {
  listings: number;
  feedLines: number;
  /** Golden listings the plan adds to the feed's (planned, never a feed line). */
  canaries: number;
  summary: RunSummary;
  accounting: Accounting;
  sim: SimStats;
  events: ChaosEvent[];
  workerKills: number;
  serverRestarts: number;
  /** Stretches of ≥ 10 s in which no listing finished (script time). */
  stalls: string;
  /** Set when the run never finished: why, and where its workflows are parked. */
  stuck: string[];
  wallMs: number;
  failures: string[];
}

type Row = [metric: string, value: string, check: string];

const usd = (nano: number) => `$${(nano / 1e9).toFixed(6)}`;
const ok = (pass: boolean) => (pass ? 'ok' : 'FAIL');
const reasons = (r: Record<string, number>) =>
  Object.entries(r)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'none';

/** The accounting as rows; each invariant's verdict sits next to its figure. */
export function chaosRows(f: ChaosFacts): Row[] {
  const { accounting: a, summary: s, sim } = f;
  const u = a.unrecorded;
  const rl = sim.rateLimited;
  const http429 = sim.byStatus['429'] ?? 0;
  const serverErrors = ['500', '502', '503'].map((c) => `${c}: ${sim.byStatus[c] ?? 0}`).join(', ');
  return [
    ['listings in (feed lines)', String(f.feedLines), ''],
    ['rejected lines', String(s.rejected), ok(s.planned - f.canaries + s.rejected === s.lines)],
    ['planned (canaries included)', `${a.planned} (${f.canaries})`, ok(a.planned === s.planned)],
    ['persisted (scores)', String(a.scored), ok(a.scored === s.scored)],
    [
      'dead-lettered',
      `${a.deadLettered} (${reasons(a.deadLetterReasons)})`,
      ok(a.deadLettered === s.deadLettered),
    ],
    [
      'scored + dead-lettered = planned',
      `${a.scored + a.deadLettered} / ${a.planned}`,
      ok(a.scored + a.deadLettered === a.planned),
    ],
    [
      'unaccounted / both scored and dead',
      `${a.unaccounted} / ${a.scoredAndDead}`,
      ok(!a.unaccounted && !a.scoredAndDead),
    ],
    ['duplicate scores (run, listing)', String(a.duplicateScores), ok(a.duplicateScores === 0)],
    [
      'prompts with >1 recorded successful call',
      String(a.duplicatePaidCalls),
      ok(a.duplicatePaidCalls === 0),
    ],
    ['invalid rows persisted', String(a.invalidScores), ok(a.invalidScores === 0)],
    ['LLM calls billed (simulator ledger)', String(a.billed.requests), ''],
    ['LLM calls recorded ok (pipeline)', String(a.recorded.requests), ''],
    [
      '  billed, not recorded (answer died with a killed worker)',
      String(u.requests),
      ok(u.requests >= 0 && u.requests <= a.lostAttempts),
    ],
    ['  attempts lost mid-flight (no row; retried)', String(a.lostAttempts), ''],
    ['USD billed (simulator ledger)', usd(a.billed.nanoUsd), ''],
    [
      'USD recorded (pipeline)',
      usd(a.recorded.nanoUsd),
      ok(Math.abs(s.costUsd * 1e9 - a.recorded.nanoUsd) < 1),
    ],
    [
      '  USD billed, not recorded',
      `${usd(u.nanoUsd)} (tokens priced by pipeline: ${usd(a.unrecordedPricedNano)})`,
      ok(u.nanoUsd === a.unrecordedPricedNano && u.nanoUsd >= 0),
    ],
    ['failed call attempts recorded', `${a.callsError} (${reasons(a.errorTypes)})`, ''],
    [
      '429s seen (simulator)',
      `${http429} (rpm ${rl.requests}, tpm ${rl.tokens}, random ${rl.random}, quota ${rl.insufficientQuota})`,
      '',
    ],
    ['5xx / resets / hangs (simulator)', `${serverErrors} / ${sim.connectionsReset} / ${sim.hangs}`, ''],
    ['time in outage (simulator)', `${(sim.outage.totalMs / 1000).toFixed(1)} s`, ''],
    [
      'time in outage (run: shard-seconds paused, openings)',
      `${(s.outageMs / 1000).toFixed(1)} s, ${s.outages}`,
      '',
    ],
    ['worker kills (SIGKILL)', String(f.workerKills), ok(f.workerKills === 3)],
    ['server restarts (SIGKILL + same db file)', String(f.serverRestarts), ok(f.serverRestarts === 1)],
    ['stalls ≥ 10 s with no listing finished', f.stalls, ''],
    ['escalations / fallbacks', `${s.escalations} / ${s.fallbacks}`, ''],
    ['wall time', `${(f.wallMs / 1000).toFixed(1)} s`, ''],
  ];
}

/** An aligned markdown table (readable as plain text too), then the events and any failures. */
export function renderChaos(f: ChaosFacts): string {
  const rows: Row[] = [['metric', 'value', 'check'], ...chaosRows(f)];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i as 0 | 1 | 2].length)));
  const line = (r: Row) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const rule = `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`;
  const [head, ...body] = rows;
  const out = [`# Chaos run: ${f.listings} listings`, '', line(head as Row), rule, ...body.map(line), ''];
  out.push('Events (run time, finished fraction when fired):', '');
  for (const e of f.events)
    out.push(`- +${(e.atMs / 1000).toFixed(1)} s at ${(e.fraction * 100).toFixed(0)}%: ${e.label}`);
  out.push(
    '',
    f.failures.length
      ? `**INVARIANTS FAILED**:\n${f.failures.map((x) => `- ${x}`).join('\n')}`
      : 'All invariants hold.',
    '',
  );
  return out.join('\n');
}
