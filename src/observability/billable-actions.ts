import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * Billable Temporal Cloud Actions, by kind, as far as event history shows them. Following
 * Temporal Cloud's Actions page: a workflow start (client, child or continue-as-new) is one,
 * and a child costs its parent one more for the start it records; every activity attempt,
 * retries included; a timer (a `condition` with a timeout starts one too); a signal, counted
 * where it is received so one sent from a workflow is not counted twice; a search-attribute
 * upsert (one per command, however many keys; `TemporalChangeVersion` is exempt); an accepted
 * update; the markers of one workflow task (local activities, side effects, patches) count as
 * one; an execution-options update; a reset.
 *
 * Not in history, so not counted here: queries (each one the worker answers is an Action:
 * progress polling costs), activity heartbeats that reach the server, rejected updates,
 * schedule starts and exports.
 */
export interface BillableActions {
  workflowStarts: number;
  childStarts: number;
  activityAttempts: number;
  timers: number;
  signals: number;
  searchAttributeUpserts: number;
  updates: number;
  markerTasks: number;
  optionsUpdates: number;
  resets: number;
  total: number;
}

export function noActions(): BillableActions {
  return {
    workflowStarts: 0,
    childStarts: 0,
    activityAttempts: 0,
    timers: 0,
    signals: 0,
    searchAttributeUpserts: 0,
    updates: 0,
    markerTasks: 0,
    optionsUpdates: 0,
    resets: 0,
    total: 0,
  };
}

const EventType = temporal.api.enums.v1.EventType;
const RESET_CAUSE = temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW;
const CHANGE_VERSION = 'TemporalChangeVersion';

/** An event's type as the enum's name: histories fetched live carry numbers, histories saved as JSON names. */
function typeOf(e: HistoryEvent): string {
  const t = e.eventType as unknown;
  if (typeof t === 'string') return t;
  return typeof t === 'number' ? (EventType[t] ?? String(t)) : 'EVENT_TYPE_UNSPECIFIED';
}

function isResetFailure(e: HistoryEvent): boolean {
  const cause = e.workflowTaskFailedEventAttributes?.cause as unknown;
  return cause === RESET_CAUSE || cause === 'WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW';
}

/**
 * The billable actions in one execution's history. A reset copies the events before the reset
 * point into the new run's history; those were billed in the run that was reset, so only what
 * follows the reset is counted here, plus the reset itself.
 */
export function countBillableActions(events: readonly HistoryEvent[]): BillableActions {
  const out = noActions();
  let from = 0;
  events.forEach((e, i) => {
    if (typeOf(e) === 'EVENT_TYPE_WORKFLOW_TASK_FAILED' && isResetFailure(e)) from = i + 1;
  });
  if (from > 0) out.resets = 1;
  let taskOfLastMarker: number | undefined;
  let task = 0;
  for (const e of events.slice(from)) {
    switch (typeOf(e)) {
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED':
        out.workflowStarts++;
        break;
      case 'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED':
        out.childStarts++;
        break;
      case 'EVENT_TYPE_ACTIVITY_TASK_STARTED':
        // One Started event per activity, written once it ends; it carries the last attempt's number.
        out.activityAttempts += Math.max(1, Number(e.activityTaskStartedEventAttributes?.attempt ?? 1));
        break;
      case 'EVENT_TYPE_TIMER_STARTED':
        out.timers++;
        break;
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED':
        out.signals++;
        break;
      case 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES': {
        const fields = Object.keys(
          e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {},
        );
        if (fields.some((f) => f !== CHANGE_VERSION)) out.searchAttributeUpserts++;
        break;
      }
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED':
        out.updates++;
        break;
      case 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED':
        task++;
        break;
      case 'EVENT_TYPE_MARKER_RECORDED':
        if (taskOfLastMarker !== task) out.markerTasks++;
        taskOfLastMarker = task;
        break;
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED':
        out.optionsUpdates++;
        break;
      default:
        break;
    }
  }
  out.total = sumKinds(out);
  return out;
}

function sumKinds(a: BillableActions): number {
  return (
    a.workflowStarts +
    a.childStarts +
    a.activityAttempts +
    a.timers +
    a.signals +
    a.searchAttributeUpserts +
    a.updates +
    a.markerTasks +
    a.optionsUpdates +
    a.resets
  );
}

export function addActions(into: BillableActions, from: BillableActions): BillableActions {
  for (const key of Object.keys(into) as Array<keyof BillableActions>) into[key] += from[key];
  return into;
}
