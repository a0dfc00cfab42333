import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/**
 * A workflow task that fails over and over is invisible from the outside: the run stays
 * RUNNING, queries cannot be answered, and only the worker's log says why. Temporal keeps the
 * first failure in history (later attempts are transient) and counts attempts on the pending
 * task, which is enough to say what is wrong.
 */

/** From this attempt on, a failing workflow task is reported: one failure can be a worker restart. */
export const STUCK_ATTEMPT = 3;

export interface TaskFailure {
  attempt: number;
  /** e.g. "BadSearchAttributes: no mapping defined for search attribute RunDate". */
  cause: string | null;
}

export interface TaskHealth {
  closed: boolean;
  /** How long the task has been seen failing, or null while it is healthy. */
  stuckFor: number | null;
  /** The one-line state when stuck. */
  summary: string | null;
  /** A line to print now: the state changed since the last check (first seen, new cause, recovered). */
  news: string | null;
}

const EventType = temporal.api.enums.v1.EventType;
const FailedCause = temporal.api.enums.v1.WorkflowTaskFailedCause;

/** The failure text of a WorkflowTaskFailed event: its message, else its cause's name. */
export function taskFailureText(
  attrs: temporal.api.history.v1.IWorkflowTaskFailedEventAttributes | null | undefined,
): string | null {
  if (!attrs) return null;
  const message = attrs.failure?.message?.trim();
  if (message) return message;
  const cause = attrs.cause ? FailedCause[attrs.cause] : undefined;
  return cause ? cause.replace(/^WORKFLOW_TASK_FAILED_CAUSE_/, '').toLowerCase() : null;
}

export function stuckSummary(f: TaskFailure): string {
  return `workflow task failing (attempt ${f.attempt})${f.cause ? `: ${f.cause}` : ''}`;
}

/** Remembers what the last check found, so each state is printed once, not every few seconds. */
export class WorkflowTaskWatch {
  private since: number | null = null;
  private lastCause: string | null | undefined = undefined;

  constructor(
    private readonly handle: WorkflowHandle,
    readonly opts: { graceMs: number },
  ) {}

  get graceMs(): number {
    return this.opts.graceMs;
  }

  async check(now = Date.now()): Promise<TaskHealth> {
    const d = await this.handle.describe();
    if (d.status.name !== 'RUNNING') return { closed: true, stuckFor: null, summary: null, news: null };
    const attempt = d.raw.pendingWorkflowTask?.attempt ?? 0;
    if (attempt < STUCK_ATTEMPT) {
      const recovered = this.since !== null ? 'workflow task recovered: the run is moving again' : null;
      this.since = null;
      this.lastCause = undefined;
      return { closed: false, stuckFor: null, summary: null, news: recovered };
    }
    const cause = await this.lastFailure(d.runId);
    const summary = stuckSummary({ attempt, cause });
    this.since ??= now;
    const news = cause !== this.lastCause ? summary : null;
    this.lastCause = cause;
    return { closed: false, stuckFor: now - this.since, summary, news };
  }

  /** The newest WorkflowTaskFailed event, read from the end of history (a run's history can be long). */
  private async lastFailure(runId: string): Promise<string | null> {
    const { client } = this.handle;
    let nextPageToken: Uint8Array | undefined;
    for (let page = 0; page < 5; page++) {
      const res = await client.workflowService.getWorkflowExecutionHistoryReverse({
        namespace: client.options.namespace,
        execution: { workflowId: this.handle.workflowId, runId },
        maximumPageSize: 100,
        nextPageToken,
      });
      for (const e of res.history?.events ?? []) {
        if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) {
          return taskFailureText(e.workflowTaskFailedEventAttributes);
        }
      }
      if (!res.nextPageToken?.length) return null;
      nextPageToken = res.nextPageToken;
    }
    return null;
  }
}
