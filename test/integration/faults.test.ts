import { flushLogs } from '../../src/observability/logger';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { RunInput, RunSummary } from '../../src/shared/messages';
import { dailyScoringRun } from '../../src/workflows';
import { progressQuery } from '../../src/workflows/definitions';
import { feedRun, Harness, type HarnessOptions } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function run(
  opts: Omit<HarnessOptions, 'address'>,
  count: number,
  input: Partial<RunInput> = {},
): Promise<{ h: Harness; summary: RunSummary }> {
  harness = await new Harness({ address, ...opts }).start();
  const h = harness;
  const feedPath = h.writeFeed({ count });
  const summary = await h.withWorkers(() =>
    h.client.workflow.execute(dailyScoringRun, {
      taskQueue: h.taskQueue,
      workflowId: h.workflowId('faults'),
      args: [feedRun(feedPath, { route: 'sync', shardSize: 25, ...input })],
    }),
  );
  return { h, summary };
}

describe('the run under API failures', () => {
  it('honours Retry-After: a rate-limited call is retried no sooner than the server asked, with spread', async () => {
    const { h, summary } = await run({ simulator: { latencyScale: 0, random429Rate: 0.4 } }, 30);
    expect(summary.scored + summary.deadLettered).toBe(30);
    const calls = await h.store.listCalls({ runId: summary.runId, limit: 10_000 });
    const gaps: number[] = [];
    for (const c of calls.filter((x) => x.errorType === 'LlmRateLimited')) {
      // The next attempt of the same Temporal retry sequence (a later round restarts at attempt 1).
      const next = calls.find(
        (x) => x.listingId === c.listingId && x.id > c.id && x.attempt === c.attempt + 1,
      );
      if (next) gaps.push(Date.parse(next.startedAt) - (Date.parse(c.startedAt) + c.durationMs));
    }
    expect(gaps.length).toBeGreaterThan(5);
    // The simulator says retry-after-ms 1000; we add up to 250 ms of jitter.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(990);
    expect(new Set(gaps).size).toBeGreaterThan(gaps.length / 2);
  });

  it('attempts insufficient_quota exactly once per listing and dead-letters it as non-retryable', async () => {
    const { h, summary } = await run({ simulator: { latencyScale: 0, insufficientQuota: true } }, 10);
    expect(summary).toMatchObject({ scored: 0, deadLettered: 10 });
    const calls = await h.store.listCalls({ runId: summary.runId, limit: 1000 });
    expect(calls).toHaveLength(10);
    expect(calls.every((c) => c.errorType === 'LlmInsufficientQuota' && c.attempt === 1)).toBe(true);
    expect(
      (await h.store.listDeadLetters(summary.runId)).every(
        (d) => d.reason === 'non_retryable_error' && d.attempts === 1,
      ),
    ).toBe(true);
  });

  it('attempts a 400 (a schema the API rejects) exactly once per listing', async () => {
    const { h, summary } = await run(
      { simulator: { latencyScale: 0, strictSchema: { maxObjectProperties: 2 } } },
      10,
    );
    expect(summary).toMatchObject({ scored: 0, deadLettered: 10 });
    const calls = await h.store.listCalls({ runId: summary.runId, limit: 1000 });
    expect(calls).toHaveLength(10);
    expect(calls.every((c) => c.errorType === 'LlmBadRequest' && c.attempt === 1)).toBe(true);
  });

  it('rides out 5xx errors, connection resets and hung calls, and records every billed call but those it timed out on', async () => {
    const { h, summary } = await run(
      {
        callTimeoutMs: 1500,
        simulator: {
          latencyScale: 0,
          hangMs: 5000,
          errorRates: { http500: 0.15, http502: 0.05, http503: 0.05, connectionReset: 0.05, hang: 0.1 },
        },
      },
      60,
    );
    expect(summary.scored + summary.deadLettered).toBe(60);
    expect(summary.scored).toBeGreaterThan(50);
    const calls = await h.store.listCalls({ runId: summary.runId, limit: 10_000 });
    const types = new Set(calls.map((c) => c.errorType).filter(Boolean));
    expect(types).toEqual(new Set(['LlmServerError', 'LlmConnectionError', 'LlmTimeout']));
    // A call the client gave up on (timeout) may still have been answered and billed by the
    // provider, as OpenAI does: that is the only way the bill may exceed our record.
    const okCalls = calls.filter((c) => c.status === 'ok').length;
    const timeouts = calls.filter((c) => c.errorType === 'LlmTimeout').length;
    const billed = h.sim.ledger().total.requests;
    expect(billed - okCalls).toBeGreaterThanOrEqual(0);
    expect(billed - okCalls).toBeLessThanOrEqual(timeouts);
    if (billed === okCalls) expect(summary.costUsd).toBeCloseTo(h.sim.ledger().total.usd, 9);
    else expect(summary.costUsd).toBeLessThan(h.sim.ledger().total.usd);
  });

  it('pauses dispatch during an outage longer than the attempt budget, probes, and resumes without dead letters', async () => {
    harness = await new Harness({ address, simulator: { latencyScale: 0.05 } }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 80 });
    const summary = await h.withWorkers(async () => {
      const handle = await h.client.workflow.start(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('outage'),
        // One shard after another: a shard reports progress when it ends (or after seconds),
        // so the outage starts after the first, with three shards still to go.
        args: [
          feedRun(feedPath, { route: 'sync', shardSize: 20, maxConcurrentShards: 1, listingConcurrency: 4 }),
        ],
      });
      for (;;) {
        const p = await handle.query(progressQuery);
        if (p.scored >= 10) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      // Attempts back off 50..500 ms, so three of them fail within about a second: 8 s is far longer.
      h.sim.configure({ outage: { mode: 'refuse', durationMs: 8000 } });
      let sawOutage = false;
      while (!sawOutage) {
        const p = await handle.query(progressQuery);
        sawOutage = p.shardsInOutage > 0;
        if (p.phase === 'done') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(sawOutage, 'progress shows shards paused by the outage').toBe(true);
      return handle.result();
    });
    expect(summary, JSON.stringify(summary)).toMatchObject({ planned: 80, scored: 80, deadLettered: 0 });
    expect(summary.outages).toBeGreaterThanOrEqual(1);
    const failed = await h.store.listCalls({ runId: summary.runId, status: 'error', limit: 10_000 });
    // Without the breaker every listing would keep hammering for 8 s; with it, the failures
    // are the in-flight window's attempts plus a handful of probes.
    expect(failed.length).toBeLessThan(80);
  });

  it('reports malformed feed lines by line and reason, and scores every good line', async () => {
    harness = await new Harness({ address, simulator: { latencyScale: 0 } }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 100, malformedRate: 0.1 });
    const summary = await h.withWorkers(() =>
      h.client.workflow.execute(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('bad-input'),
        args: [feedRun(feedPath, { route: 'sync' })],
      }),
    );
    expect(summary.rejected).toBeGreaterThan(3);
    expect(summary.planned + summary.rejected).toBe(summary.lines);
    expect(summary.scored + summary.deadLettered).toBe(summary.planned);
    for (const reason of summary.rejectedSample) expect(reason).toMatch(/^line \d+( \(id [^)]+\))?: .+/);
  });

  it('keeps the API key out of logs, the database and workflow history', async () => {
    const { h, summary } = await run(
      {
        simulator: { latencyScale: 0, errorRates: { http500: 0.2 }, outputFaults: { schemaViolation: 0.2 } },
      },
      30,
    );
    expect(summary.scored + summary.deadLettered).toBe(30);
    await flushLogs();
    const { readFileSync, readdirSync } = await import('node:fs');
    const secret = h.apiKey;
    expect(readFileSync(h.logFile, 'utf8')).toContain('llm_call');
    expect(readFileSync(h.logFile, 'utf8')).not.toContain(secret);
    for (const f of readdirSync(h.dir).filter((f) => f.startsWith('scoreline.db'))) {
      expect(readFileSync(`${h.dir}/${f}`).includes(secret)).toBe(false);
    }
    const history = await h.client.workflow.getHandle(summary.runId).fetchHistory();
    expect(JSON.stringify(history)).not.toContain(secret);
  });
});
