import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { writeFeedFile } from '../../src/feed/generate';
import { startSimulator } from '../../src/simulator';
import { SqliteStore } from '../../src/store/sqlite';
import { dailyScoringRun } from '../../src/workflows';
import { killAllChildren, startWorker, type WorkerProcess } from '../support/processes';
import { feedRun } from '../support/harness';

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
      const summary = await client.workflow.execute(dailyScoringRun, {
        taskQueue,
        workflowId: `scale-out-${randomUUID()}`,
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
      const started = (
        await store.listCalls({ runId: summary.runId, model: 'gpt-4o-mini', limit: 10_000 })
      ).map((c) => Date.parse(c.startedAt));
      await store.close();
      started.sort((a, b) => a - b);
      const busiest = (windowMs: number) => {
        let most = 0;
        for (let i = 0, j = 0; i < started.length; i++) {
          while ((started[i] as number) - (started[j] as number) >= windowMs) j++;
          most = Math.max(most, i - j + 1);
        }
        return most;
      };
      const rps = rpm / 60;
      // The server's token bucket lets a short burst through (the dev server splits a queue
      // into partitions, each with its share of the rate); over ten seconds the rate holds.
      expect(busiest(1000)).toBeLessThanOrEqual(3 * rps);
      expect(busiest(10_000)).toBeLessThanOrEqual(10 * rps * 1.2);
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
