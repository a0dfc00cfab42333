import type { Client } from '@temporalio/client';
import type { RunSummary } from '../../src/shared/messages';
import type { Store } from '../../src/store/store';

/**
 * What a stuck run is waiting for: each of its executions still running, with its current
 * details, pending activities and the SDK's `__stack_trace` (where its coroutines are parked).
 * Enough to tell "waiting out a dead worker's timeout" from "waiting on nothing".
 */
export async function diagnoseStuckRun(client: Client, runId: string): Promise<string[]> {
  const lines: string[] = [];
  // This dev server holds nothing but this run, so no visibility query syntax is needed.
  for await (const wf of client.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
    if (!wf.workflowId.startsWith(runId)) continue;
    const handle = client.workflow.getHandle(wf.workflowId);
    const [description, stack, metadata] = await Promise.all([
      handle.describe().catch(() => undefined),
      handle.query<string>('__stack_trace').catch((e: unknown) => `(no stack: ${String(e)})`),
      handle
        .query<{ currentDetails?: string }>('__temporal_workflow_metadata')
        .catch(() => ({ currentDetails: undefined })),
    ]);
    const pending = description?.raw.pendingActivities?.length ?? '?';
    lines.push(
      `${wf.workflowId} (${wf.type}): ${pending} pending activities; details: ${metadata.currentDetails ?? '-'}`,
    );
    for (const frame of stack.split('\n').filter((l) => l.trim())) lines.push(`    ${frame.trim()}`);
  }
  return lines;
}

/** A summary built from the store alone, for a run that never returned one. */
export async function partialSummary(
  store: Store,
  runId: string,
  runDate: string,
  lines: number,
): Promise<RunSummary> {
  const t = await store.runTotals(runId);
  const now = new Date().toISOString();
  return {
    runId,
    runDate,
    lines,
    planned: t.planned,
    rejected: t.rejected,
    rejectedSample: [],
    scored: t.scored,
    cacheHits: t.cached,
    deadLettered: t.deadLettered,
    deadLetterReasons: {},
    calls: t.calls,
    promptTokens: t.byModel.reduce((s, m) => s + m.promptTokens, 0),
    completionTokens: t.byModel.reduce((s, m) => s + m.completionTokens, 0),
    costUsd: t.costPico / 1e12,
    byModel: {},
    histogram: [],
    startedAt: now,
    finishedAt: now,
    durationMs: 0,
    executions: 0,
    outageMs: 0,
    outages: 0,
    escalations: 0,
    fallbacks: 0,
  };
}
