import type { Client } from '@temporalio/client';
import { runActions } from '../../src/client/report/actions';
import type { BillableActions } from '../../src/observability/billable-actions';
import type { BenchDevServer } from './dev-server';

/** One route's orchestration bill in a run: actions and history, per listing, with the CPU it took. */
export interface RouteActions {
  listings: number;
  actions: number;
  perListing: number;
  byKind: Omit<BillableActions, 'total'>;
  executions: number;
  historyEvents: number;
  eventsPerListing: number;
  /**
   * The dev server's own `action` counter over the run, by action type: the cross-check. It
   * counts what reaches the server (the bench's start and result calls too), not history.
   */
  serverMetric: { total: number; perListing: number; byType: Record<string, number> } | null;
  workerCpuMsPerListing: number;
  devServerCpuMsPerListing: number;
  wallMs: number;
}

/** The `actions` section of bench/results/latest.json. */
export interface ActionsSection {
  perListing: { sync: number | null; batch: number | null };
  sync?: RouteActions;
  batch?: RouteActions;
  /** The same figures before the lean sync path, for the side-by-side table. */
  previous: typeof PREVIOUS;
}

/**
 * Measured at c72721a (bench/results/latest.md of that revision and issue 12): four activities
 * per listing. Actions per listing were counted on a 211-listing sync run (1,320 activity
 * attempts, 13 signals, 5 workflow starts); there was no batch figure.
 */
export const PREVIOUS = {
  revision: 'c72721a',
  sync: {
    actionsPerListing: 6.4,
    eventsPerListing: 16.19,
    workerCpuMsPerListing: 14.7,
    devServerCpuMsPerListing: 15.18,
  },
  scalePeakRssMb: 723,
} as const;

/** Snapshot of the server's action counter, to diff around a run. */
export async function serverActions(server: BenchDevServer): Promise<Record<string, number> | null> {
  try {
    return await server.actionCounts();
  } catch {
    return null;
  }
}

export function diffCounts(
  before: Record<string, number> | null,
  after: Record<string, number> | null,
): Record<string, number> | null {
  if (!before || !after) return null;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}

/** Counts a finished run's actions from its histories and puts them next to its CPU figures. */
export async function routeActions(
  client: Client,
  workflowId: string,
  o: {
    listings: number;
    serverDiff: Record<string, number> | null;
    workerCpuMs: number;
    devServerCpuMs: number;
    wallMs: number;
  },
): Promise<RouteActions> {
  const counted = await runActions(client, workflowId);
  const { total, ...byKind } = counted.actions;
  const per = (n: number) => n / Math.max(1, o.listings);
  const metricTotal = o.serverDiff ? Object.values(o.serverDiff).reduce((s, n) => s + n, 0) : 0;
  return {
    listings: o.listings,
    actions: total,
    perListing: per(total),
    byKind,
    executions: counted.executions,
    historyEvents: counted.historyEvents,
    eventsPerListing: per(counted.historyEvents),
    serverMetric: o.serverDiff
      ? { total: metricTotal, perListing: per(metricTotal), byType: o.serverDiff }
      : null,
    workerCpuMsPerListing: per(o.workerCpuMs),
    devServerCpuMsPerListing: per(o.devServerCpuMs),
    wallMs: o.wallMs,
  };
}

/** The section as results carry it: per-listing figures up front, both routes in full, the previous ones. */
export function actionsSection(
  overhead: { scoreline?: { actions?: RouteActions; batch?: RouteActions } } | undefined,
): ActionsSection {
  const sync = overhead?.scoreline?.actions;
  const batch = overhead?.scoreline?.batch;
  return {
    perListing: { sync: sync?.perListing ?? null, batch: batch?.perListing ?? null },
    ...(sync ? { sync } : {}),
    ...(batch ? { batch } : {}),
    previous: PREVIOUS,
  };
}
