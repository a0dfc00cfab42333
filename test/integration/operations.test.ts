import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { finishEarly, raiseBudget } from '../../src/client/commands/budget';
import { explainListing } from '../../src/client/commands/calls';
import {
  listDeadLetters,
  requeueDeadLetters,
  resolveDeadLetter,
  showDeadLetter,
} from '../../src/client/commands/dead-letters';
import { buildReport, report } from '../../src/client/commands/report';
import type { Config } from '../../src/config';
import type { RunInput, RunProgress, RunSummary } from '../../src/shared/messages';
import { dailyScoringRun } from '../../src/workflows';
import { progressQuery } from '../../src/workflows/definitions';
import { feedRun, Harness, type HarnessOptions } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** The CLI's configuration, pointed at this test's server, task queue and database. */
async function start(opts: Omit<HarnessOptions, 'address'>): Promise<{ h: Harness; config: Config }> {
  harness = await new Harness({ address, ...opts }).start();
  const h = harness;
  const config = h.cliConfig();
  return { h, config };
}

function runFeed(h: Harness, feedPath: string, input: Partial<RunInput> = {}): Promise<RunSummary> {
  return h.client.workflow.execute(dailyScoringRun, {
    taskQueue: h.taskQueue,
    workflowId: h.workflowId('ops'),
    args: [feedRun(feedPath, { route: 'sync', shardSize: 25, ...input })],
  });
}

const ids = (rows: Array<{ listingId: string }>) => rows.map((r) => r.listingId).sort();

describe('operating on dead letters, calls and costs', () => {
  it('shows, resolves and re-runs dead letters, explains a listing across runs, and reports costs', async () => {
    const { h, config } = await start({ simulator: { latencyScale: 0, insufficientQuota: true } });
    const feedPath = h.writeFeed({ count: 12 });
    await h.withWorkers(async () => {
      const first = await runFeed(h, feedPath);
      expect(first).toMatchObject({ planned: 12, scored: 0, deadLettered: 12 });
      const letters = await h.store.listDeadLetters(first.runId);
      const [resolved = '', b = '', c = ''] = ids(letters);

      expect((await listDeadLetters(config, { run: first.runId, status: 'open' })).split('\n')).toHaveLength(
        13,
      );
      const shown = await showDeadLetter(config, first.runId, b);
      const [call] = await h.store.listCalls({ runId: first.runId, listingId: b });
      expect(shown).toContain('non_retryable_error (LlmInsufficientQuota) after 1 attempt(s)');
      expect(shown).toContain(call?.promptHash.slice(0, 16));
      expect(shown).toContain('call history in this run (1 attempt(s))');

      await expect(resolveDeadLetter(config, first.runId, resolved, ' ')).rejects.toThrow('--note');
      await resolveDeadLetter(config, first.runId, resolved, 'duplicate of another listing, checked by hand');
      expect(await h.store.getDeadLetter(first.runId, resolved)).toMatchObject({
        status: 'resolved',
        note: 'duplicate of another listing, checked by hand',
      });
      await expect(requeueDeadLetters(config, first.runId, { listings: [resolved] })).rejects.toThrow(
        `--listing ${resolved}: not an open dead letter`,
      );

      h.sim.configure({ insufficientQuota: false });
      const lines: string[] = [];
      const out = (l: string) => lines.push(l);
      // `dead-letters requeue <run> --listing b --listing c`
      const some = await requeueDeadLetters(config, first.runId, {
        listings: [b, c],
        follow: true,
        tty: false,
        out,
      });
      expect(some.workflowId.startsWith(`rerun-${first.runId}-`)).toBe(true);
      expect(some.summary).toMatchObject({ planned: 2, scored: 2, deadLettered: 0 });
      expect(ids(await h.store.listScores(some.workflowId, 100, 0))).toEqual([b, c]);

      // `rerun --failed <run>`: the nine letters still open, not the resolved one.
      const rest = await requeueDeadLetters(config, first.runId, { follow: true, tty: false, out });
      const restIds = ids(letters).filter((id) => ![resolved, b, c].includes(id));
      expect(rest.listingIds.sort()).toEqual(restIds);
      expect(rest.summary).toMatchObject({ planned: 9, scored: 9, deadLettered: 0 });
      expect(ids(await h.store.listScores(rest.workflowId, 100, 0))).toEqual(restIds);
      expect(lines.some((l) => l.includes(`started ${rest.workflowId}: re-running 9 dead letter(s)`))).toBe(
        true,
      );
      const statuses = Object.fromEntries(
        (await h.store.listDeadLetters(first.runId)).map((d) => [d.listingId, d.status]),
      );
      expect(statuses).toEqual(
        Object.fromEntries(ids(letters).map((id) => [id, id === resolved ? 'resolved' : 'requeued'])),
      );
      await expect(requeueDeadLetters(config, first.runId)).rejects.toThrow('has no open dead letters');

      // The re-run is its own workflow, linked to the original.
      const described = await h.client.workflow.getHandle(rest.workflowId).describe();
      expect(described.memo).toMatchObject({ rerunOf: first.runId });
      expect(await described.staticSummary()).toContain(`from ${first.runId}`);

      const explained = await explainListing(config, b);
      expect(explained).toContain(`listing ${b}: 2 attempt(s) in 2 run(s)`);
      expect(explained).toContain(`run ${first.runId} (2026-11-29`);
      expect(explained).toContain('dead-lettered: non_retryable_error (requeued');
      expect(explained).toContain(`run ${some.workflowId}`);
      expect(explained).toMatch(/LlmInsufficientQuota[\s\S]*valid, score \d+/);

      // The report of the re-run agrees with the call log to the pico-dollar.
      const r = await buildReport(config, rest.workflowId);
      const calls = await h.store.listCalls({ runId: rest.workflowId, limit: 10_000 });
      expect(r.costPico).toBe(calls.reduce((s, x) => s + x.costPico, 0));
      expect(r.costPico / 1e12).toBeCloseTo(rest.summary?.costUsd ?? -1, 12);
      expect(r.calls).toBe(calls.length);
      expect(r.byRoute.map((x) => x.route)).toEqual(['sync']);
      expect(r.histogram.reduce((s, n) => s + n, 0)).toBe(9);
      expect(r.escalations).toBe(rest.summary?.escalations);
      expect(r.byModel.map((m) => m.model)).toContain('gpt-4o-mini');
      if (!('estimatePico' in r.allLarge)) throw new Error('no all-large estimate');
      expect(r.allLarge.estimatePico).toBeGreaterThan(r.costPico);

      // A later run of the same feed reuses the eleven answers; only the resolved listing is called.
      const again = await runFeed(h, feedPath);
      expect(again).toMatchObject({ planned: 12, cacheHits: 11 });
      const cached = await buildReport(config, again.runId);
      expect(cached.cacheHitRate).toBeCloseTo(11 / 12, 12);
      if (!('estimatePico' in cached.allLarge)) throw new Error('no all-large estimate');
      expect(cached.allLarge.cacheHitsRepriced).toBe(11);
      expect(cached.allLarge.estimatePico).toBeGreaterThan(cached.costPico);
      expect(cached.deadLettersByReason).toEqual([]);

      const htmlPath = join(h.dir, 'report.html');
      const text = await report(config, rest.workflowId, { html: htmlPath });
      expect(text).toContain(`Cost report: ${rest.workflowId}`);
      expect(text).toContain(`wrote ${htmlPath}`);
      const html = readFileSync(htmlPath, 'utf8');
      expect(html).toContain('<svg');
      expect(html).not.toMatch(/<script|<link /);
    });
  });

  it('raises the day budget and finishes a run early through the budget commands', async () => {
    const { h, config } = await start({ simulator: { latencyScale: 0.2 } });
    const feedPath = h.writeFeed({ count: 150 });
    await h.withWorkers(async () => {
      const handle = await h.client.workflow.start(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('ops-budget'),
        args: [
          feedRun(feedPath, {
            route: 'sync',
            shardSize: 150,
            listingConcurrency: 50,
            budgetUsd: 0.01,
            escalateBelow: 0,
          }),
        ],
      });
      const waiting = async (): Promise<RunProgress> => {
        for (let i = 0; i < 600; i++) {
          const p = await handle.query(progressQuery);
          if (p.shardsWaitingForBudget > 0) return p;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error('the run never waited for budget');
      };
      await waiting();
      await expect(raiseBudget(config, handle.workflowId, {})).rejects.toThrow('--run-usd');
      await expect(raiseBudget(config, 'no-such-run', { runUsd: '1' })).rejects.toThrow(
        'no running workflow',
      );

      // Raising the day's limit leaves the run's own limit binding: the run keeps waiting.
      const raised = await raiseBudget(config, handle.workflowId, { dayUsd: '5' });
      expect(raised).toMatchObject({ dailyBudgetUsd: 5, budgetUsd: 0.01 });
      await waiting();

      const finished = await finishEarly(config, handle.workflowId);
      expect(finished.runId).toBe(handle.workflowId);
      const summary = await handle.result();
      expect(summary.scored).toBeGreaterThan(0);
      expect(summary.scored + summary.deadLettered).toBe(150);
      expect(summary.deadLetterReasons.budget_exhausted).toBe(summary.deadLettered);
    });
  });
});
