import type { CostResult } from '../phases/cost';
import type { OverheadResult } from '../phases/overhead';
import type { ScaleResult } from '../phases/scale';
import type { ThroughputResult } from '../phases/throughput';
import type { ActionsSection } from './actions';
import type { Machine } from './machine';

export interface BenchResults {
  machine: Machine;
  options: Record<string, unknown>;
  startedAt: string;
  finishedAt: string;
  throughput?: ThroughputResult;
  overhead?: OverheadResult;
  scale?: ScaleResult;
  cost?: CostResult;
  /** Billable Temporal actions per listing, sync and batch (from the overhead phase), next to the previous figures. */
  actions?: ActionsSection;
  /** 1-minute load average when each phase started and ended: on a shared box, others' work shows here. */
  load?: Record<string, { start: number; end: number }>;
  goals: GoalRow[];
}

export interface GoalRow {
  goal: string;
  target: string;
  measured: string;
  gap: string;
  /** null when the phase did not run or failed. */
  met: boolean | null;
  /** How far from the target, relative to it (0 when met): ranks the gaps. */
  shortfall: number;
}

export const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
export const fixed = (x: number, digits = 2) => x.toFixed(digits);
export const int = (x: number) => Math.round(x).toLocaleString('en-US');

type Kind = 'atLeast' | 'atMost';

/** One goal against its measurement; `fmt` prints values and differences in the goal's unit. */
export function goalRow(
  goal: string,
  kind: Kind,
  target: number,
  measured: number | undefined,
  fmt: (x: number) => string,
  note = '',
): GoalRow {
  const targetText = `${kind === 'atLeast' ? '≥' : '≤'} ${fmt(target)}`;
  if (measured === undefined || !Number.isFinite(measured)) {
    return { goal, target: targetText, measured: 'not measured', gap: '—', met: null, shortfall: 0 };
  }
  const met = kind === 'atLeast' ? measured >= target : measured <= target;
  const diff = Math.abs(measured - target);
  const shortfall = met ? 0 : target === 0 ? Infinity : diff / target;
  let gap: string;
  if (met) gap = `met (${fmt(diff)} to spare)`;
  else if (kind === 'atLeast') gap = `${fmt(diff)} short`;
  else gap = `${fmt(diff)} over (${fixed(measured / target, 1)}× the target)`;
  return { goal, target: targetText, measured: `${fmt(measured)}${note}`, gap, met, shortfall };
}

/** The goals of the brief, each read from the phase that measures it. */
export function evaluateGoals(r: Omit<BenchResults, 'goals'>): GoalRow[] {
  const t = r.throughput?.scoreline;
  const o = r.overhead?.scoreline;
  const s = r.scale?.completed ? r.scale : undefined;
  const costRows = (r.cost?.routes.length ? r.cost.routes : [{ route: 'sync', days: [] }]).flatMap(
    ({ route, days }) => {
      const agreements = days.map((d) => d.agreementWithLarge.within1);
      return [
        goalRow(
          `Day-one cost ÷ all-large sync (${route})`,
          'atMost',
          0.05,
          days[0]?.scorelineOverLarge,
          (x) => pct(x, 2),
        ),
        goalRow(
          `Day-two cost ÷ all-large sync (${route})`,
          'atMost',
          0.01,
          days[1]?.scorelineOverLarge,
          (x) => pct(x, 2),
        ),
        goalRow(
          `Agreement with all-large, ±1, worse day (${route})`,
          'atLeast',
          0.98,
          agreements.length ? Math.min(...agreements) : undefined,
          (x) => pct(x, 2),
        ),
      ];
    },
  );
  const scaleNote = s && s.listings < 100_000 ? ` (at ${int(s.listings)} listings)` : '';
  const rss = s?.peakRssMb ?? o?.peakRssMb;
  const rssNote = s ? scaleNote : o ? ` (overhead phase, ${int(o.listings)} listings)` : '';
  return [
    goalRow(
      'Throughput ÷ RPM limit (busiest model, sustained)',
      'atLeast',
      0.95,
      t?.busiestSustainedOverRpm,
      (x) => fixed(x, 3),
    ),
    goalRow('Self-caused 429s (share of requests)', 'atMost', 0.005, t?.rateLimitedShare, (x) => pct(x, 2)),
    goalRow('Worker CPU per listing', 'atMost', 5, o?.cpuMsPerListing, (x) => `${fixed(x, 2)} ms`),
    goalRow(
      'Dev server CPU per listing',
      'atMost',
      5,
      o?.devServerCpuMsPerListing,
      (x) => `${fixed(x, 2)} ms`,
    ),
    goalRow('Billable actions per listing (sync)', 'atMost', 1.5, o?.actions?.perListing, (x) => fixed(x, 3)),
    goalRow('History events per listing (sync)', 'atMost', 6, o?.eventsPerListing, (x) => fixed(x, 2)),
    goalRow('Billable actions per listing (batch)', 'atMost', 0.02, o?.batch?.perListing, (x) => fixed(x, 4)),
    goalRow(
      'Largest history of any execution',
      'atMost',
      5000,
      s?.maxEvents,
      (x) => `${int(x)} events`,
      scaleNote,
    ),
    goalRow('Worker peak RSS', 'atMost', 400, rss, (x) => `${int(x)} MB`, rssNote),
    ...costRows,
  ];
}

/** The unmet goal furthest from its target, relative to the target. */
export function largestGap(goals: readonly GoalRow[]): GoalRow | undefined {
  return goals
    .filter((g) => g.met === false)
    .reduce<GoalRow | undefined>(
      (worst, g) => (!worst || g.shortfall > worst.shortfall ? g : worst),
      undefined,
    );
}
