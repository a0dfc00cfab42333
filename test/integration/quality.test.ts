import { flushLogs } from '../../src/observability/logger';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { printResults } from '../../src/client/commands/calls';
import { reviewRun, showQuality } from '../../src/client/commands/quality';
import { canarySet, defaultCriteria } from '../../feedgen/generate';
import type { RunInput, RunProgress, RunSummary } from '../../src/shared/messages';
import { dailyScoringRun } from '../../src/workflows';
import { progressQuery, searchAttributes } from '../../src/workflows/definitions';
import { Harness } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const LISTINGS = 200;
const DAYS = ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the drift gate', () => {
  it('passes ordinary days, then quarantines a drifted day until a person approves it', async () => {
    harness = await new Harness({ address, simulator: { latencyScale: 0 } }).start();
    const h = harness;
    const config = h.cliConfig();
    const input = (runDate: string): RunInput => ({
      runDate,
      feedPath: h.writeFeed({ count: LISTINGS, date: runDate }),
      criteria: defaultCriteria,
      route: 'sync',
      useCache: false,
      quality: { gate: 'quarantine' },
    });

    await h.withWorkers(async () => {
      const ordinary: RunSummary[] = [];
      for (const day of DAYS) {
        ordinary.push(
          await h.client.workflow.execute(dailyScoringRun, {
            taskQueue: h.taskQueue,
            workflowId: h.workflowId(`day-${day}`),
            args: [input(day)],
          }),
        );
      }
      for (const s of ordinary) {
        expect(s.planned).toBe(LISTINGS + canarySet().length);
        expect(s.quality?.quality.canaries).toHaveLength(canarySet().length);
        expect(s.quality?.drift?.drifted, s.quality?.drift?.summary).toBe(false);
        expect(s.quality?.publication).toBe('published');
      }
      // The first days have no baseline yet; the fourth is compared with the three before it.
      expect(ordinary[0]?.quality?.drift?.baselineRuns).toBe(0);
      expect(ordinary[3]?.quality?.drift?.baselineRuns).toBe(3);

      // The model starts scoring three points high: a silent prompt or model change.
      h.sim.configure({ drift: { scoreShift: 3 } });
      const drifted = await h.client.workflow.start(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('day-drifted'),
        args: [input('2026-11-28')],
      });
      const held = await until('the quarantine', async () => {
        const p: RunProgress = await drifted.query(progressQuery);
        return p.phase === 'quarantined' ? p : undefined;
      });
      expect(held.drift).toMatchObject({ drifted: true, publication: 'held' });

      const described = await drifted.describe();
      expect(described.typedSearchAttributes.get(searchAttributes.DriftDetected)).toBe(true);
      expect(described.typedSearchAttributes.get(searchAttributes.RunPhase)).toBe('quarantined');
      const runId = drifted.workflowId;
      expect((await h.store.getRun(runId))?.status).toBe('quarantined');
      await flushLogs();
      const warning = readFileSync(h.logFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { event?: string; runId?: string; level?: number; failed?: string[] })
        .find((r) => r.event === 'drift_detected' && r.runId === runId);
      expect(warning?.level).toBe(40);
      expect(warning?.failed).toEqual(expect.arrayContaining(['score-psi', 'canary-distance']));

      const verdict = await showQuality(config, runId);
      expect(verdict).toContain('scores held');
      expect(verdict).toMatch(/score-psi\s+DRIFT/);
      await expect(printResults(config, runId, 5)).rejects.toThrow('quarantined by the drift gate');
      // A held run's answers are no cache source for anyone: the same prompt is served from an
      // earlier, published day or not at all.
      const calls = await h.store.listCalls({ runId, validation: 'valid', limit: 50 });
      const sources = await h.store.findValidCalls(
        calls.map((c) => c.promptHash),
        'someone-else',
      );
      for (const id of sources.values()) expect((await h.store.getCall(id))?.runId).not.toBe(runId);

      await expect(reviewRun(config, runId, { approve: true, note: ' ' })).rejects.toThrow('--note');
      expect(
        await reviewRun(config, runId, {
          approve: true,
          note: 'new model version; spot-checked 20 listings',
        }),
      ).toBe('published');
      const summary = await drifted.result();
      expect(summary.quality?.publication).toBe('published');
      expect(summary.quality?.review).toMatchObject({ approve: true });
      expect((await h.store.getRun(runId))?.status).toBe('completed');
      expect(await printResults(config, runId, 5)).toContain(`Run ${runId}`);
      const failed = summary.quality?.drift?.checks.filter((c) => c.failed).map((c) => c.name);
      // Figures for the record: what the gate measured on the drifted day.
      console.info(`drift gate: ${summary.quality?.drift?.summary} (failed: ${failed?.join(', ')})`);
    });
  });
});
