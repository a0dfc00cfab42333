import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config';
import { defaultCriteria } from '../feed/criteria';
import { dailyScoringRun } from '../workflows';
import { followRun } from './follow';
import { report } from './commands/report';
import { int, usd } from './format';
import { LocalStack } from './local-stack';
import { runWorkflowId } from './run-input';

export interface DemoOptions {
  listings: number;
  date: string;
  seed: number;
  uiPort: number;
  /** Also score the feed with the large model only (sync, no cache) and report agreement with it. */
  reference?: boolean;
}

/**
 * The main job on embedded defaults: a local Temporal dev server (started or reused, kept
 * running afterwards for the Web UI), the OpenAI-compatible simulator, a worker in this
 * process, a generated feed for the day, one daily run followed live, and its summary.
 */
export async function runDemo(base: Config, o: DemoOptions): Promise<void> {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const feedPath = join(resolve(base.dataDir), 'feeds', `${o.date}.jsonl`);
  const stack = await LocalStack.start(base, {
    uiPort: o.uiPort,
    seed: o.seed,
    provider: { kind: 'simulator', describe: 'the simulator' },
    out,
  });
  const { config, client } = stack;
  try {
    mkdirSync(join(resolve(base.dataDir), 'feeds'), { recursive: true });
    // The synthetic feed generator is a dev tool outside src/: loaded only when the demo runs,
    // so no production entry point (the worker, the other CLI commands) has it in its graph.
    const { writeFeedFile } = await import('../../feedgen/generate');
    const feed = await writeFeedFile(feedPath, {
      date: o.date,
      count: o.listings,
      seed: o.seed,
      nearDuplicateRate: 0.03,
      injectionRate: 0.01,
      malformedRate: 0.003,
    });
    out(`Feed       ${int(feed.lines)} lines for ${o.date} at ${feedPath}`);
    await stack.addWorkers(config.temporal.taskQueue);
    // The reference run's workers: both tiers are the large model, on task queues of their own.
    const referenceQueue = `${config.temporal.taskQueue}-reference`;
    const large = stack.deps.routing.models.large;
    if (o.reference) await stack.addWorkers(referenceQueue, { small: large, large });

    const workflowId = runWorkflowId(o.date);
    const handle = await client.workflow.start(dailyScoringRun, {
      taskQueue: config.temporal.taskQueue,
      workflowId,
      args: [
        {
          runDate: o.date,
          feedPath,
          criteria: defaultCriteria,
          batchPollMs: 1000,
          maxAttempts: config.maxAttempts,
        },
      ],
      staticSummary: `Daily scoring run for ${o.date} (demo, ${int(o.listings)} listings)`,
    });
    out(`Run        ${workflowId}`);
    out();
    await followRun(handle);
    const summary = await handle.result();
    out();
    for (const line of stack.summaryLines(summary)) out(line);
    if (o.reference) {
      // An evaluation run, not a production one: no cache, no canaries, not judged by the drift
      // gate (so it never joins a baseline), and priced apart in its own report.
      const referenceId = `reference-${workflowId}`;
      out();
      out(`Reference  ${referenceId}: the same feed, ${large} only, synchronous, no cache`);
      const reference = await client.workflow.execute(dailyScoringRun, {
        taskQueue: referenceQueue,
        workflowId: referenceId,
        args: [
          {
            runDate: o.date,
            feedPath,
            criteria: defaultCriteria,
            route: 'sync',
            useCache: false,
            quality: { canaries: false, gate: 'off' },
            maxAttempts: config.maxAttempts,
          },
        ],
        staticSummary: `All-${large} reference for ${workflowId}`,
      });
      out(`           ${int(reference.scored)} scored for ${usd(reference.costUsd)}`);
      out();
      out(await report(config, workflowId, { against: referenceId }));
    }
    out();
    for (const line of stack.whereToLook(workflowId)) out(line);
  } finally {
    await stack.close();
  }
}
