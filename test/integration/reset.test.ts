import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { resolveTemporalCli } from '../../src/dev/temporal-binary';
import type { RunSummary } from '../../src/shared/messages';
import { dailyScoringRun } from '../../src/workflows';
import { progressQuery } from '../../src/workflows/definitions';
import { feedRun, Harness } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** What the Web UI's "Reset" does, through the same server operation. */
function resetToFirstWorkflowTask(workflowId: string): void {
  const cli = resolveTemporalCli({ install: true });
  execFileSync(
    cli?.path ?? 'temporal',
    [
      'workflow',
      'reset',
      '--address',
      address,
      '--workflow-id',
      workflowId,
      '--type',
      'FirstWorkflowTask',
      '--reason',
      'test: reset like the UI',
    ],
    {
      stdio: 'pipe',
    },
  );
}

describe('reset from the Temporal UI', () => {
  it('completes a run reset mid-way with no duplicate rows and no successful LLM call paid twice', async () => {
    harness = await new Harness({ address, simulator: { latencyScale: 0.3 } }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 160 });
    const workflowId = h.workflowId('reset');
    let resetAt = 0;
    const summary = await h.withWorkers(async (): Promise<RunSummary> => {
      const handle = await h.client.workflow.start(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId,
        args: [
          feedRun(feedPath, { route: 'sync', shardSize: 40, maxConcurrentShards: 2, listingConcurrency: 10 }),
        ],
      });
      for (;;) {
        const p = await handle.query(progressQuery);
        if (p.scored >= 40) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      resetAt = Date.now();
      resetToFirstWorkflowTask(workflowId);
      // The reset starts a new run of the same workflow id; its result is the run's result.
      return h.client.workflow.getHandle<typeof dailyScoringRun>(workflowId).result();
    });
    expect(summary.planned).toBe(160);
    expect(summary.scored + summary.deadLettered).toBe(160);
    const scores = await h.store.listScores(summary.runId, 1000, 0);
    expect(new Set(scores.map((s) => s.listingId)).size).toBe(scores.length);
    const ok = await h.store.listCalls({ runId: summary.runId, status: 'ok', limit: 10_000 });
    const perPrompt = new Map<string, number>();
    for (const c of ok)
      perPrompt.set(
        `${c.listingId}|${c.promptHash}`,
        (perPrompt.get(`${c.listingId}|${c.promptHash}`) ?? 0) + 1,
      );
    expect(Math.max(...perPrompt.values())).toBe(1);
    expect(h.sim.ledger().total.requests).toBe(ok.length);
    // The summary speaks for the whole run, not only for what the reset's execution did.
    expect(Date.parse(summary.startedAt)).toBeLessThan(resetAt);
    const byModel = Object.values(summary.byModel).reduce((n, m) => n + m.listings, 0);
    expect(byModel).toBe(summary.scored - summary.cacheHits);
    const modelsOf = new Map<string, Set<string>>();
    for (const c of ok) modelsOf.set(c.listingId, (modelsOf.get(c.listingId) ?? new Set()).add(c.model));
    const escalated = [...modelsOf.values()].filter((m) => m.has('gpt-4o') && m.has('gpt-4o-mini')).length;
    expect(escalated).toBeGreaterThan(0);
    expect(summary.escalations).toBe(escalated);
    expect(summary.costUsd).toBeCloseTo(h.sim.ledger().total.usd, 9);
    const history = await h.client.workflow.getHandle(workflowId).describe();
    expect(history.status.name).toBe('COMPLETED');
  });
});
