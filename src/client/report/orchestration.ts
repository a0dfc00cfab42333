import type { BillableActions } from '../../observability/billable-actions';
import { ratio } from './compute';

/** The orchestration bill, from the run's histories (see `countBillableActions`). */
export interface Orchestration {
  actions: number;
  /** Per planned listing (cache hits included); null when nothing was planned. */
  perListing: number | null;
  usdPerMillion: number;
  costPico: number;
  executions: number;
  historyEvents: number;
  byKind: Omit<BillableActions, 'total'>;
}

/** Prices counted actions: `usdPerMillion` per 10⁶ actions, in whole pico-dollars like every other cost. */
export function orchestrationOf(
  counted: { actions: BillableActions; executions: number; historyEvents: number },
  planned: number,
  usdPerMillion: number,
): Orchestration {
  const { total, ...byKind } = counted.actions;
  return {
    actions: total,
    perListing: ratio(total, planned),
    usdPerMillion,
    costPico: Math.round(total * usdPerMillion * 1e6),
    executions: counted.executions,
    historyEvents: counted.historyEvents,
    byKind,
  };
}
