import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTestServer } from '../../src/dev/temporal-binary';
import { LlmErrorType } from '../../src/scoring/error-types';
import {
  PipelineErrorType,
  type GateItem,
  type GateResult,
  type ScoreCallResult,
  type ShardPlan,
} from '../../src/shared/messages';
import { budgetChangedSignal } from '../../src/workflows/definitions';
import { reportsQuery, shardParent } from './shard-parent';

/**
 * The shard's policies (outage breaker, requeue and dead letters, budget pause) against fake
 * activities on Temporal's time-skipping test server: probe timers and retry backoff take no
 * real time, so an outage of many minutes is a test of seconds.
 */
let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  Runtime.install({ logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } });
  const path = resolveTestServer({ install: true });
  env = await TestWorkflowEnvironment.createTimeSkipping(
    path ? { server: { executable: { type: 'existing-path', path } } } : {},
  );
  bundle = await bundleWorkflowCode({ workflowsPath: join(__dirname, 'shard-parent.ts') });
}, 120_000);

afterAll(async () => {
  await env?.teardown();
});

interface Fakes {
  /** What the LLM call does for this listing on this call (1-based count over the shard). */
  call(listingId: string, n: number): 'ok' | 'transient' | 'budget';
  /** Real time an answered call takes. */
  okDelayMs?: number;
  /** Real time a budget refusal takes to come back, by call count. */
  refusalDelayMs?: (n: number) => number;
}

/** The store and LLM steps a shard calls, faked in memory; records what was dead-lettered. */
function fakeActivities(listings: number, fakes: Fakes) {
  let calls = 0;
  let nextId = 1;
  const dead: Array<{ listingId: string; reason: string }> = [];
  const plan: ShardPlan = {
    listings: Array.from({ length: listings }, (_, i) => ({ id: `l${i}`, route: 0 })),
    routes: [{ model: 'small', taskQueue: '', fallbacks: {} }],
  };
  return {
    dead,
    calls: () => calls,
    plan,
    activities: {
      loadShard: () => Promise.resolve(plan),
      scoreListing: async (input: { listingId: string; model: string }): Promise<ScoreCallResult> => {
        calls++;
        const what = fakes.call(input.listingId, calls);
        if (what === 'budget') {
          await new Promise((resolve) => setTimeout(resolve, fakes.refusalDelayMs?.(calls) ?? 0));
          throw ApplicationFailure.nonRetryable('no room in budget run:x', PipelineErrorType.BudgetExhausted);
        }
        if (what === 'transient')
          throw ApplicationFailure.retryable('upstream 503', LlmErrorType.ServerError);
        const result = { callId: nextId++, model: input.model, promptTokens: 100, completionTokens: 20 };
        const answer = { ...result, costPico: 1_000, reused: false, route: 'sync' as const };
        return new Promise((resolve) => setTimeout(() => resolve(answer), fakes.okDelayMs ?? 0));
      },
      validateAndPersist: (input: { items: GateItem[] }): Promise<GateResult[]> =>
        Promise.resolve(
          input.items.map((i) => ({
            callId: i.callId,
            verdict: { valid: true as const, score: 7, confidence: 0.9 },
            persisted: { callId: i.callId, model: 'small', score: 7, route: 'sync' as const },
          })),
        ),
      deadLetterListing: (input: { listingId: string; reason: string }) => {
        dead.push({ listingId: input.listingId, reason: input.reason });
        return Promise.resolve();
      },
      deadLetterMany: (input: { listingIds: string[]; reason: string }) => {
        for (const listingId of input.listingIds) dead.push({ listingId, reason: input.reason });
        return Promise.resolve();
      },
    },
  };
}

/** The dispatch under test: the callback pipeline new runs use, or the lean one older shards replay with. */
let flatDispatch = true;

async function runShard(listings: number, fakes: Fakes, during?: (workflowId: string) => Promise<void>) {
  const taskQueue = `shard-${randomUUID()}`;
  const fake = fakeActivities(listings, fakes);
  for (const r of fake.plan.routes) r.taskQueue = taskQueue;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: fake.activities,
  });
  const workflowId = `shard-parent-${randomUUID()}`;
  const result = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(shardParent, {
      taskQueue,
      workflowId,
      args: [
        {
          runId: 'run-1',
          shardIndex: 0,
          fromSeq: 0,
          toSeq: listings,
          listingConcurrency: 4,
          maxAttempts: 2,
          escalateBelow: 0,
          leanDispatch: true,
          flatDispatch,
        },
      ],
    });
    await during?.(workflowId);
    return handle.result();
  });
  return { ...result, dead: fake.dead, calls: fake.calls() };
}

describe.each([
  ['callback pipeline', true],
  ['lean async pipeline', false],
])('a scoring shard with the %s (time-skipping server, fake activities)', (_name, flat) => {
  beforeAll(() => {
    flatDispatch = flat;
  });

  it('pauses through an outage longer than the retry budget and loses no listing to it', async () => {
    // The first 80 calls fail: every listing's two attempts run out many times over.
    const r = await runShard(40, { call: (_id, n) => (n <= 80 ? 'transient' : 'ok') });
    expect(r.totals.scored).toBe(40);
    expect(r.dead).toEqual([]);
    expect(r.totals.outages).toBeGreaterThanOrEqual(1);
    expect(r.totals.outageMs).toBeGreaterThan(0);
    // The parent heard of the pause when it began.
    expect(r.reports.some((p) => p.outage)).toBe(true);
  });

  it('dead-letters a listing that keeps failing while the others are answered', async () => {
    // Answers take 100 ms, so the others are still being answered when l0 fails the first
    // time (its attempts are a second apart). A listing that fails only after every other one
    // is done cannot be told from an outage: the shard probes for it (the first test's path).
    const r = await runShard(80, { call: (id) => (id === 'l0' ? 'transient' : 'ok'), okDelayMs: 100 });
    expect(r.dead).toEqual([{ listingId: 'l0', reason: 'retries_exhausted' }]);
    expect(r.totals.scored).toBe(79);
    expect(r.totals.deadLettered).toBe(1);
    expect(r.totals.outages).toBe(0);
  });

  it('waits for a budget raise, even with refusals still on their way when it comes, then finishes the shard', async () => {
    let raised = false;
    const r = await runShard(
      20,
      // Refusals come back slowly, so some are still on their way when the budget is raised:
      // they must not be taken for refusals of the raised budget.
      { call: (_id, n) => (n > 5 && !raised ? 'budget' : 'ok'), refusalDelayMs: (n) => 100 + (n % 4) * 400 },
      async (workflowId) => {
        const parent = env.client.workflow.getHandle(workflowId);
        // Until the shard says it is blocked on budget; then the budget is raised.
        for (let i = 0; i < 200; i++) {
          const reports = await parent.query(reportsQuery);
          if (reports.some((p) => p.budgetBlocked)) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        raised = true;
        await env.client.workflow.getHandle(`${workflowId}-shard`).signal(budgetChangedSignal);
      },
    );
    expect(r.reports.some((p) => p.budgetBlocked)).toBe(true);
    expect(r.totals.scored).toBe(20);
    expect(r.dead).toEqual([]);
  });
});
