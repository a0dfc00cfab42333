import { afterEach, describe, expect, inject, it } from 'vitest';
import type { RunProgress } from '../../src/shared/messages';
import { dailyScoringRun } from '../../src/workflows';
import { finishEarlyUpdate, progressQuery, raiseBudgetUpdate } from '../../src/workflows/definitions';
import { feedRun, Harness } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function waitFor(
  pred: () => Promise<RunProgress>,
  until: (p: RunProgress) => boolean,
): Promise<RunProgress> {
  for (let i = 0; i < 600; i++) {
    const p = await pred();
    if (until(p)) return p;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not reached in 60 s');
}

describe('budgets', () => {
  it('never overshoots with 50 calls in flight, pauses visibly, and resumes after a raise', async () => {
    harness = await new Harness({ address, simulator: { latencyScale: 0.2 } }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 150 });
    const budgetUsd = 0.01;
    await h.withWorkers(async () => {
      const handle = await h.client.workflow.start(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('budget'),
        args: [
          feedRun(feedPath, {
            route: 'sync',
            shardSize: 150,
            listingConcurrency: 50,
            budgetUsd,
            escalateBelow: 0,
          }),
        ],
      });
      const paused = await waitFor(
        () => handle.query(progressQuery),
        (p) => p.shardsWaitingForBudget > 0,
      );
      expect(paused.scored).toBeLessThan(150);
      // Wait for in-flight calls to land: none may push the bill past the budget.
      await new Promise((r) => setTimeout(r, 3000));
      const billed = h.sim.ledger().total.usd;
      expect(billed).toBeLessThanOrEqual(budgetUsd);
      expect(billed).toBeGreaterThan(budgetUsd * 0.5);
      const described = await handle.describe();
      expect(described.searchAttributes.RunPhase).toEqual(['waiting_for_budget']);

      await handle.executeUpdate(raiseBudgetUpdate, { args: [{ budgetUsd: 1 }] });
      const summary = await handle.result();
      expect(summary).toMatchObject({ planned: 150, deadLettered: 0, scored: 150 });
      expect(h.sim.ledger().total.usd).toBeLessThanOrEqual(1);
    });
  });

  it('finishes with what is done when told to, parking the rest for review', async () => {
    harness = await new Harness({ address, simulator: { latencyScale: 0.05 } }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 120 });
    await h.withWorkers(async () => {
      const handle = await h.client.workflow.start(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('budget-stop'),
        args: [
          feedRun(feedPath, {
            route: 'sync',
            shardSize: 40,
            maxConcurrentShards: 1,
            budgetUsd: 0.004,
            escalateBelow: 0,
          }),
        ],
      });
      await waitFor(
        () => handle.query(progressQuery),
        (p) => p.shardsWaitingForBudget > 0,
      );
      await handle.executeUpdate(finishEarlyUpdate);
      const summary = await handle.result();
      expect(summary.scored).toBeGreaterThan(0);
      expect(summary.scored + summary.deadLettered).toBe(120);
      expect(summary.deadLetterReasons.budget_exhausted).toBe(summary.deadLettered);
      expect(h.sim.ledger().total.usd).toBeLessThanOrEqual(0.004);
    });
  });
});
