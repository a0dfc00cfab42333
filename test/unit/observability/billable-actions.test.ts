import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { addActions, countBillableActions, noActions } from '../../../src/observability/billable-actions';

type Event = temporal.api.history.v1.IHistoryEvent;
const T = temporal.api.enums.v1.EventType;

/** A history written as event type names (as JSON fixtures hold them) with optional attributes. */
const ev = (type: string, attrs: Record<string, unknown> = {}): Event =>
  ({ eventType: `EVENT_TYPE_${type}`, ...attrs }) as unknown as Event;
const task = () => [
  ev('WORKFLOW_TASK_SCHEDULED'),
  ev('WORKFLOW_TASK_STARTED'),
  ev('WORKFLOW_TASK_COMPLETED'),
];
const activity = (attempt: number) => [
  ev('ACTIVITY_TASK_SCHEDULED'),
  ev('ACTIVITY_TASK_STARTED', { activityTaskStartedEventAttributes: { attempt } }),
  ev('ACTIVITY_TASK_COMPLETED'),
];

describe('countBillableActions', () => {
  it('counts a start, every activity attempt with its retries, and nothing for workflow tasks', () => {
    const a = countBillableActions([
      ev('WORKFLOW_EXECUTION_STARTED'),
      ...task(),
      ...activity(1),
      ...activity(3),
      ...task(),
      ev('WORKFLOW_EXECUTION_COMPLETED'),
    ]);
    expect(a).toMatchObject({ workflowStarts: 1, activityAttempts: 4, total: 5 });
  });

  it('counts timers, received signals, accepted updates, child starts and options updates once each', () => {
    const a = countBillableActions([
      ev('WORKFLOW_EXECUTION_STARTED'),
      ...task(),
      ev('TIMER_STARTED'),
      ev('TIMER_FIRED'),
      ev('WORKFLOW_EXECUTION_SIGNALED'),
      ev('SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED'),
      ev('EXTERNAL_WORKFLOW_EXECUTION_SIGNALED'),
      ev('WORKFLOW_EXECUTION_UPDATE_ACCEPTED'),
      ev('WORKFLOW_EXECUTION_UPDATE_COMPLETED'),
      ev('START_CHILD_WORKFLOW_EXECUTION_INITIATED'),
      ev('CHILD_WORKFLOW_EXECUTION_STARTED'),
      ev('WORKFLOW_EXECUTION_OPTIONS_UPDATED'),
    ]);
    expect(a).toMatchObject({ timers: 1, signals: 1, updates: 1, childStarts: 1, optionsUpdates: 1 });
    expect(a.total).toBe(6);
  });

  it('counts an upsert as one whatever it sets, and not one that only sets TemporalChangeVersion', () => {
    const upsert = (...keys: string[]) =>
      ev('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES', {
        upsertWorkflowSearchAttributesEventAttributes: {
          searchAttributes: { indexedFields: Object.fromEntries(keys.map((k) => [k, {}])) },
        },
      });
    const a = countBillableActions([
      upsert('RunPhase', 'CostUsd', 'ListingsScored'),
      upsert('TemporalChangeVersion'),
    ]);
    expect(a.searchAttributeUpserts).toBe(1);
  });

  it('counts the markers of one workflow task as one action', () => {
    const a = countBillableActions([
      ...task(),
      ev('MARKER_RECORDED'),
      ev('MARKER_RECORDED'),
      ...task(),
      ev('MARKER_RECORDED'),
    ]);
    expect(a.markerTasks).toBe(2);
  });

  it('counts only what follows a reset in the new run, plus the reset itself', () => {
    const a = countBillableActions([
      ev('WORKFLOW_EXECUTION_STARTED'),
      ...task(),
      ...activity(1),
      ev('WORKFLOW_TASK_SCHEDULED'),
      ev('WORKFLOW_TASK_STARTED'),
      ev('WORKFLOW_TASK_FAILED', {
        workflowTaskFailedEventAttributes: { cause: 'WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW' },
      }),
      ...task(),
      ...activity(2),
    ]);
    expect(a).toMatchObject({ resets: 1, workflowStarts: 0, activityAttempts: 2, total: 3 });
  });

  it('reads histories fetched live, whose event types are numbers', () => {
    const live: Event[] = [
      { eventType: T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED },
      { eventType: T.EVENT_TYPE_ACTIVITY_TASK_STARTED, activityTaskStartedEventAttributes: { attempt: 2 } },
      { eventType: T.EVENT_TYPE_TIMER_STARTED },
    ];
    expect(countBillableActions(live)).toMatchObject({
      workflowStarts: 1,
      activityAttempts: 2,
      timers: 1,
      total: 4,
    });
  });

  it('finds in a recorded run the update a person sent and one attempt at least per scheduled activity', () => {
    const file = join(
      __dirname,
      '..',
      '..',
      'fixtures',
      'histories',
      'daily-scoring-run.quarantined-then-approved.json',
    );
    const events = (JSON.parse(readFileSync(file, 'utf8')) as { events: Event[] }).events;
    const a = countBillableActions(events);
    const scheduled = events.filter(
      (e) => e.eventType === ('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED' as unknown),
    ).length;
    expect(a.updates).toBe(1);
    expect(a.workflowStarts).toBe(1);
    expect(a.activityAttempts).toBeGreaterThanOrEqual(scheduled);
    expect(a.searchAttributeUpserts).toBeGreaterThan(0);
  });

  it('adds the counts of several executions kind by kind', () => {
    const one = countBillableActions([ev('WORKFLOW_EXECUTION_STARTED'), ...activity(2)]);
    const sum = addActions(addActions(noActions(), one), one);
    expect(sum).toMatchObject({ workflowStarts: 2, activityAttempts: 4, total: 6 });
  });
});
