import { afterEach, describe, expect, inject, it } from 'vitest';
import { buildReport, report } from '../../src/client/commands/report';
import { runActions } from '../../src/client/report/actions';
import { dailyScoringRun } from '../../src/workflows';
import { feedRun, Harness } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('billable Temporal actions of a run', () => {
  it('counts every execution of the run once and about one action per LLM call on the sync path', async () => {
    harness = await new Harness({ address, simulator: { latencyScale: 0.02 } }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 60 });
    const workflowId = h.workflowId('actions');
    const summary = await h.withWorkers(() =>
      h.client.workflow.execute(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId,
        // Three shards and a continue-as-new after two: four parent-or-child executions plus one.
        args: [
          feedRun(feedPath, { route: 'sync', shardSize: 20, maxConcurrentShards: 2, shardsPerExecution: 2 }),
        ],
      }),
    );
    expect(summary.scored + summary.deadLettered).toBe(summary.planned);
    const counted = await runActions(h.client, workflowId);
    const shards = Math.ceil(summary.planned / 20);
    expect(counted.executions).toBe(2 + shards);
    expect(counted.actions.workflowStarts).toBe(2 + shards);
    expect(counted.actions.childStarts).toBe(shards);
    // Every LLM call attempt is a row in the call log and one activity attempt.
    const attempts = (await h.store.listCalls({ runId: workflowId, limit: 10_000 })).length;
    expect(counted.actions.activityAttempts).toBeGreaterThan(attempts);
    // What is not an LLM call is a small share: planning, finishing, a few waves per shard.
    expect((counted.actions.total - attempts) / summary.planned).toBeLessThan(0.6);

    const config = h.cliConfig();
    const r = await buildReport(config, workflowId, config.prices, undefined, { usdPerMillion: 50 });
    expect(r.orchestration).toMatchObject({ actions: counted.actions.total, usdPerMillion: 50 });
    const text = await report(config, workflowId, { actionPricePerMillion: '100' });
    expect(text).toContain(`${counted.actions.total.toLocaleString('en-US')} Temporal actions`);
    expect(text).toContain('$100 per million');
    expect(await report(config, workflowId, { actions: false })).not.toContain('orchestration');
  });
});
