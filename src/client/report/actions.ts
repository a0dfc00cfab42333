import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import {
  addActions,
  countBillableActions,
  noActions,
  type BillableActions,
} from '../../observability/billable-actions';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** What a run cost in Temporal: its actions, and the executions and events they were counted from. */
export interface RunActions {
  actions: BillableActions;
  executions: number;
  historyEvents: number;
}

const PARALLEL_FETCHES = 8;

/**
 * Counts a run's billable actions from the histories of every execution it made. Client-side,
 * on demand: it costs the run nothing, and the server only the reads.
 */
export async function runActions(client: Client, workflowId: string): Promise<RunActions> {
  const total: RunActions = { actions: noActions(), executions: 0, historyEvents: 0 };
  await forEachRunHistory(client, workflowId, (events) => {
    total.executions++;
    total.historyEvents += events.length;
    addActions(total.actions, countBillableActions(events));
  });
  return total;
}

/**
 * Visits the history of every execution a run made, once each: each run of the parent workflow
 * (continue-as-new, resets), and each run of every child it started (shards, the batch pass),
 * found from the parent's history.
 */
export async function forEachRunHistory(
  client: Client,
  workflowId: string,
  visit: (events: readonly HistoryEvent[], execution: Execution) => void,
): Promise<void> {
  const listed = new Set<string>();
  const fetched = new Set<string>();
  const queue: Execution[] = [];
  const discover = async (id: string) => {
    if (listed.has(id)) return;
    listed.add(id);
    for (const runId of await runsOf(client, id)) queue.push({ workflowId: id, runId });
  };
  await discover(workflowId);
  while (queue.length > 0) {
    const batch: Execution[] = [];
    for (const x of queue.splice(0, PARALLEL_FETCHES)) {
      // The same run is often found twice: listed under its workflow id and linked from its parent.
      if (fetched.has(x.runId)) continue;
      fetched.add(x.runId);
      batch.push(x);
    }
    const histories = await Promise.all(
      batch.map(async (x) => ({
        x,
        events: (await client.workflow.getHandle(x.workflowId, x.runId).fetchHistory()).events ?? [],
      })),
    );
    for (const { x, events } of histories) {
      visit(events, x);
      // Links in history as well as the list: visibility may lag behind a run that just closed.
      for (const next of linksOf(x.workflowId, events)) {
        if (!fetched.has(next.runId)) queue.push(next);
        await discover(next.workflowId);
      }
    }
  }
}

export interface Execution {
  workflowId: string;
  runId: string;
}

/** The executions a history points to: the run it continued as, and the children it started. */
function linksOf(workflowId: string, events: readonly HistoryEvent[]): Execution[] {
  const out: Execution[] = [];
  for (const e of events) {
    const next = e.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (next) out.push({ workflowId, runId: next });
    const child = e.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
    if (child?.workflowId && child.runId) out.push({ workflowId: child.workflowId, runId: child.runId });
  }
  return out;
}

/** Every run of a workflow id: the executions continue-as-new and resets made under it. */
async function runsOf(client: Client, workflowId: string): Promise<string[]> {
  const runs: string[] = [];
  const escaped = workflowId.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
  for await (const info of client.workflow.list({ query: `WorkflowId = "${escaped}"` }))
    runs.push(info.runId);
  return runs;
}
