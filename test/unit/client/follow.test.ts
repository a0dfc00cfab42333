import { describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { barFields, etaText, humanEta } from '../../../src/client/follow';
import { stuckSummary, taskFailureText } from '../../../src/client/task-health';
import type { RunProgress } from '../../../src/shared/messages';

const now = Date.parse('2026-11-29T10:00:00Z');
const progress = (over: Partial<RunProgress>): RunProgress => ({
  runId: 'r',
  runDate: '2026-11-29',
  phase: 'scoring',
  total: 100,
  rejected: 0,
  planned: 100,
  cacheHits: 0,
  scored: 40,
  deadLettered: 0,
  inFlight: 5,
  costUsd: 0.0123,
  startedAt: '2026-11-29T09:59:00Z',
  updatedAt: '2026-11-29T10:00:00Z',
  estimatedFinishAt: null,
  shardsDone: 0,
  shardsTotal: 1,
  shardsInOutage: 0,
  shardsWaitingForBudget: 0,
  budgetUsd: null,
  dailyBudgetUsd: null,
  batch: null,
  drift: null,
  ...over,
});

describe('the progress bar text', () => {
  it('says what a batch phase waits for instead of an infinite ETA, and shows the cost collected so far', () => {
    const p = progress({
      phase: 'batch',
      costUsd: 0.4521,
      batch: {
        batches: 2,
        lines: 1000,
        completed: 300,
        failed: 2,
        persisted: 298,
        costPico: 0,
        cancelledAtCutoff: false,
      },
    });
    const f = barFields(p, now);
    expect(f.status).toBe('batch: 302/1,000 answered, waiting for the provider');
    expect(f.status).not.toMatch(/NF|Infinity|NaN/);
    expect(f.cost).toBe('$0.4521 so far');
    expect(etaText(progress({ phase: 'batch', batch: null }), now)).toBe('batch: submitting');
  });

  it("counts down to the workflow's own estimate while scoring", () => {
    const p = progress({ estimatedFinishAt: '2026-11-29T10:03:05Z' });
    expect(barFields(p, now).status).toBe('ETA 3m 05s');
    expect(etaText(progress({}), now)).toBe('ETA estimating…');
    expect(etaText(progress({ shardsWaitingForBudget: 1 }), now)).toContain('waiting for budget');
  });

  it('drops "so far" once the run is done', () => {
    expect(barFields(progress({ phase: 'done', costUsd: 2.5 }), now).cost).toBe('$2.50');
  });

  it('writes durations as a countdown', () => {
    expect(humanEta(45_400)).toBe('45s');
    expect(humanEta(-5)).toBe('0s');
    expect(humanEta(7_800_000)).toBe('2h 10m');
  });
});

describe('a failing workflow task', () => {
  it('is described by the failure message of its WorkflowTaskFailed event, else by its cause', () => {
    const Cause = temporal.api.enums.v1.WorkflowTaskFailedCause;
    expect(
      taskFailureText({
        cause: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES,
        failure: { message: 'BadSearchAttributes: no mapping defined for search attribute RunDate' },
      }),
    ).toBe('BadSearchAttributes: no mapping defined for search attribute RunDate');
    expect(taskFailureText({ cause: Cause.WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR })).toBe(
      'non_deterministic_error',
    );
    expect(taskFailureText(undefined)).toBeNull();
    expect(stuckSummary({ attempt: 5, cause: 'BadSearchAttributes: x' })).toBe(
      'workflow task failing (attempt 5): BadSearchAttributes: x',
    );
  });
});
