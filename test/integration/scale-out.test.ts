import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { writeFeedFile } from '../../feedgen/generate';
import { startSimulator } from '../../simulator';
import { SqliteStore } from '../../src/store/sqlite';
import { dailyScoringRun } from '../../src/workflows';
import { killAllChildren, startWorker, type WorkerProcess } from '../support/processes';
import { feedRun } from '../support/harness';
import { busiestWindow } from '../support/windows';
import { dispatchTimes } from '../support/dispatch-times';
import { modelTaskQueue } from '../../src/config';

const address = inject('temporalAddress');

afterAll(() => killAllChildren());

describe('scale-out', () => {
  it('shares the queues between three worker processes, and the server-side rate limit holds across them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scale-out-'));
    const rpm = 600; // 10 calls a second per model, whatever the number of workers
    const sim = await startSimulator({
      port: 0,
      config: {
        latencyScale: 0,
        rateLimits: { 'gpt-4o-mini': { rpm, tpm: 50_000_000 }, 'gpt-4o': { rpm, tpm: 50_000_000 } },
      },
    });
    const connection = await Connection.connect({ address });
    const workers: WorkerProcess[] = [];
    try {
      const taskQueue = `scale-out-${randomUUID()}`;
      const feedPath = join(dir, 'feed.jsonl');
      await writeFeedFile(feedPath, { date: '2026-11-29', count: 150, seed: 21 });
      for (let i = 0; i < 3; i++) {
        workers.push(
          await startWorker(
            {
              TEMPORAL_ADDRESS: address,
              SCORELINE_TASK_QUEUE: taskQueue,
              OPENAI_BASE_URL: sim.baseURL,
              OPENAI_API_KEY: 'sk-scale-out-test-key',
              SCORELINE_DB: join(dir, 'scoreline.db'),
              SCORELINE_LOG_FILE: join(dir, `worker-${i}.log`),
              SCORELINE_MODEL_RPM: String(rpm),
            },
            `worker-${i}`,
          ),
        );
      }
      await Promise.all(workers.map((w) => w.ready()));
      const client = new Client({ connection });
      const workflowId = `scale-out-${randomUUID()}`;
      const summary = await client.workflow.execute(dailyScoringRun, {
        taskQueue,
        workflowId,
        args: [feedRun(feedPath, { route: 'sync', escalateBelow: 0 })],
      });
      expect(summary.scored + summary.deadLettered).toBe(150);

      // Every worker took a share of the LLM calls.
      // Polled: a live worker writes its log in blocks, flushed at least once a second.
      for (let i = 0; i < 3; i++) {
        const calls = () =>
          readFileSync(join(dir, `worker-${i}.log`), 'utf8')
            .split('\n')
            .filter((l) => l.includes('"llm_call"')).length;
        await expect.poll(calls, { timeout: 5_000, message: `worker ${i} made calls` }).toBeGreaterThan(0);
      }
      // The provider never had to say no, and no second saw more than the limit allows.
      expect(sim.stats().rateLimited.requests).toBe(0);
      const store = new SqliteStore(join(dir, 'scoreline.db'));
      const inWorkers = (
        await store.listCalls({ runId: summary.runId, model: 'gpt-4o-mini', limit: 10_000 })
      ).map((c) => Date.parse(c.startedAt));
      await store.close();
      const started = await dispatchTimes(client, workflowId, modelTaskQueue(taskQueue, 'gpt-4o-mini'));
      expect(started.length).toBeGreaterThanOrEqual(inWorkers.length);
      inWorkers.sort((a, b) => a - b);
      const rps = rpm / 60;
      // The server's limiter is a token bucket per queue partition, and each starts full, so
      // any window of w seconds may hold the burst on top of w seconds of rate; the 1 s check
      // bounds the burst. Without a shared limit three workers would run 3x the rate: 150 calls
      // inside 10 s.
      console.info(
        `[scale-out] dispatched by the server: busiest 1 s ${busiestWindow(started, 1000)}, 10 s ${busiestWindow(started, 10_000)}; ` +
          `begun in the workers: 1 s ${busiestWindow(inWorkers, 1000)}, 10 s ${busiestWindow(inWorkers, 10_000)}; rate ${rps}/s`,
      );
      expect(busiestWindow(started, 1000)).toBeLessThanOrEqual(3 * rps);
      expect(busiestWindow(started, 10_000)).toBeLessThanOrEqual(3 * rps + 10 * rps);
      const spanS = ((started.at(-1) as number) - (started[0] as number)) / 1000;
      expect(started.length / Math.max(1, spanS)).toBeLessThanOrEqual(rps * 1.15);
    } finally {
      await Promise.all(workers.map((w) => w.kill('SIGTERM')));
      await connection.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
