/**
 * Refreshes the replay fixtures in test/fixtures/histories from a real run on a real dev
 * server: `npm run record-histories`. Commit the result when a workflow change is meant to
 * change histories; the replay test then guards the new shape.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveTemporalCli } from '../src/dev/temporal-binary';
import { defaultCriteria } from '../feedgen/generate';
import { dailyScoringRun } from '../src/workflows';
import { progressQuery, reviewRunUpdate, searchAttributeKeys } from '../src/workflows/definitions';
import { Harness } from '../test/support/harness';

const OUT = join(__dirname, '..', 'test', 'fixtures', 'histories');

async function main(): Promise<void> {
  const cli = resolveTemporalCli({ install: true });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ...(cli ? { executable: { type: 'existing-path' as const, path: cli.path } } : {}),
      searchAttributes: searchAttributeKeys,
    },
  });
  // Some invalid outputs and server errors, so the dead-letter and retry branches are in the history.
  const h = await new Harness({
    address: env.address,
    simulator: { latencyScale: 0, outputFaults: { schemaViolation: 0.1 }, errorRates: { http500: 0.1 } },
  }).start();
  try {
    const feedPath = h.writeFeed({ count: 60, malformedRate: 0.05 });
    const workflowId = 'fixture-run';
    const handle = await h.withWorkers(async () => {
      const started = await h.client.workflow.start(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId,
        // Small shards and two shards per execution: the run continues as new twice.
        args: [
          {
            runDate: '2026-11-29',
            feedPath,
            criteria: defaultCriteria,
            route: 'sync',
            shardSize: 10,
            maxConcurrentShards: 2,
            shardsPerExecution: 2,
          },
        ],
      });
      await started.result();
      return started;
    });
    // A second run through the Batch API route, so the batch workflow's history is guarded too.
    const batchFeed = h.writeFeed({ count: 30, seed: 5 });
    const batchRunId = 'fixture-batch-run';
    await h.withWorkers(() =>
      h.client.workflow.execute(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: batchRunId,
        args: [
          {
            runDate: '2026-11-29',
            feedPath: batchFeed,
            criteria: defaultCriteria,
            route: 'batch',
            batchPollMs: 200,
            shardSize: 10,
          },
        ],
      }),
    );
    // A third run that the drift gate quarantines (the model scores four points high, so the
    // canaries fall out of their bands) and a person approves: the review branch's history.
    h.sim.configure({ drift: { scoreShift: 4 } });
    const heldRunId = 'fixture-quarantined-run';
    await h.withWorkers(async () => {
      const held = await h.client.workflow.start(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: heldRunId,
        args: [
          {
            runDate: '2026-11-30',
            feedPath: h.writeFeed({ count: 20, seed: 9 }),
            criteria: defaultCriteria,
            route: 'sync',
            quality: { gate: 'quarantine' },
          },
        ],
      });
      for (;;) {
        const p = await held.query(progressQuery);
        if (p.phase === 'quarantined') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await held.executeUpdate(reviewRunUpdate, { args: [{ approve: true, note: 'fixture: approved' }] });
      await held.result();
    });
    mkdirSync(OUT, { recursive: true });
    const manifest: Record<string, string> = {};
    for (const [name, id, runId] of [
      ['daily-scoring-run.first-execution', workflowId, handle.firstExecutionRunId],
      ['daily-scoring-run.last-execution', workflowId, undefined],
      ['scoring-shard', `${workflowId}/shard-0`, undefined],
      ['daily-scoring-run.batch-route', batchRunId, undefined],
      ['batch-scoring', `${batchRunId}/batch`, undefined],
      ['daily-scoring-run.quarantined-then-approved', heldRunId, undefined],
    ] as const) {
      // The CLI writes the same proto-JSON the Web UI downloads, which the replayer reads.
      const args = ['workflow', 'show', '--address', env.address, '--workflow-id', id, '--output', 'json'];
      const json = execFileSync(cli?.path ?? 'temporal', runId ? [...args, '--run-id', runId] : args, {
        encoding: 'utf8',
      });
      writeFileSync(join(OUT, `${name}.json`), json);
      manifest[`${name}.json`] = id;
      console.log(`${name}: ${(JSON.parse(json) as { events: unknown[] }).events.length} events`);
    }
    // Older fixtures that guard a patched() branch stay: name them `<type>.before-<patch>.json`.
    for (const file of readdirSync(OUT)) {
      if (file.includes('.before-'))
        manifest[file] =
          (JSON.parse(readFileSync(join(OUT, 'manifest.json'), 'utf8')) as Record<string, string>)[file] ??
          '';
    }
    // Child ids derive from the parent's id, so a replay must use the recorded workflow id.
    writeFileSync(join(OUT, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  } finally {
    await h.stop();
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
