import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  createSchedule,
  deleteSchedule,
  describeSchedule,
  listSchedules,
  pauseSchedule,
  unpauseSchedule,
  updateSchedule,
} from '../../src/client/commands/schedule-manage';
import { backfillSchedule, triggerSchedule } from '../../src/client/commands/schedule-runs';
import { addDays, dateIn } from '../../src/client/dates';
import type { Config } from '../../src/config';
import { generateFeed } from '../../feedgen/generate';
import type { RunSummary } from '../../src/shared/messages';
import { searchAttributes } from '../../src/workflows/definitions';
import { Harness } from '../support/harness';
import { canarySet } from '../../src/feed/canaries';

const CANARIES = canarySet().length;

// The real dev server: the time-skipping test server has no Schedules.
const address = inject('temporalAddress');
let harness: Harness | undefined;
let created: string[] = [];

afterEach(async () => {
  const h = harness;
  for (const id of created) {
    await h?.client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  }
  created = [];
  await h?.stop();
  harness = undefined;
});

async function start(): Promise<{ h: Harness; config: Config; id: string }> {
  harness = await new Harness({ address, simulator: { latencyScale: 0 } }).start();
  const h = harness;
  const config = h.cliConfig();
  const id = `test-schedule-${randomUUID()}`;
  created.push(id);
  return { h, config, id };
}

/** A feed per date under the harness dir, each with its own size so a run shows which one it read. */
function writeDatedFeeds(h: Harness, counts: Record<string, number>): string {
  mkdirSync(join(h.dir, 'feeds'), { recursive: true });
  for (const [date, count] of Object.entries(counts)) {
    const lines = generateFeed({ date, count, seed: 5 });
    writeFileSync(join(h.dir, 'feeds', `${date}.jsonl`), `${lines.join('\n')}\n`);
  }
  return join(h.dir, 'feeds', '{date}.jsonl');
}

/** A time of day twelve hours away, so the schedule never fires by itself during a test. */
function farAway(): string {
  return `${String((new Date().getUTCHours() + 12) % 24).padStart(2, '0')}:17`;
}

async function waitForActions(client: Client, id: string, n: number): Promise<string[]> {
  for (let i = 0; i < 300; i++) {
    const d = await client.schedule.getHandle(id).describe();
    if (d.info.recentActions.length >= n)
      return d.info.recentActions.map((a) => a.action.workflow.workflowId);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`schedule ${id} did not take ${n} actions in 60 s`);
}

describe('schedule commands', () => {
  it('creates idempotently, describes, lists, pauses, updates and deletes', async () => {
    const { h, config, id } = await start();
    const feedTemplate = join(h.dir, 'feeds', '{date}.jsonl');
    const at = farAway();
    const first = await createSchedule(config, { id, at, timezone: 'Europe/Berlin', feedTemplate });
    expect(first).toMatch(new RegExp(`^created schedule ${id}`));
    expect(first).toContain(`(daily at ${at})`);
    expect(first).toContain('overlap SKIP · catch-up window 1 day · pause on failure no');

    const second = await createSchedule(config, {
      id,
      cron: '15 4 * * 1-5',
      timezone: 'Europe/Berlin',
      overlap: 'buffer_one',
      catchupWindow: '2h',
      pauseOnFailure: true,
      feedTemplate,
      budgetUsd: '2',
      dailyBudgetUsd: '5',
    });
    expect(second).toMatch(new RegExp(`^updated schedule ${id}`));
    const described = await describeSchedule(config, id);
    expect(described).toContain('spec          15 4 * * 1-5');
    expect(described).toContain('timezone      Europe/Berlin');
    expect(described).toContain('overlap BUFFER_ONE · catch-up window 2 hours · pause on failure yes');
    expect(described).toContain(`feed          ${feedTemplate}`);
    expect(described).toContain('budgets       run $2 · day $5');
    expect(described).toContain(`task queue ${h.taskQueue}`);
    expect(described).toContain('route         auto');

    // Listing is eventually consistent: wait until the schedule shows, then it shows once.
    let listed = '';
    for (let i = 0; i < 100 && !listed.includes(id); i++) {
      listed = await listSchedules(config);
      if (!listed.includes(id)) await new Promise((r) => setTimeout(r, 200));
    }
    expect(listed.split('\n').filter((l) => l.startsWith(id))).toHaveLength(1);

    await pauseSchedule(config, id, 'maintenance');
    const paused = await h.client.schedule.getHandle(id).describe();
    expect(paused.state).toMatchObject({ paused: true, note: 'maintenance' });
    expect(await describeSchedule(config, id)).toContain('[PAUSED]');
    await unpauseSchedule(config, id);
    expect((await h.client.schedule.getHandle(id).describe()).state.paused).toBe(false);

    // An update changes only what it names; the run's time zone moves with the spec's.
    await updateSchedule(config, { id, timezone: 'Asia/Tokyo', overlap: 'ALLOW_ALL' });
    const updated = await h.client.schedule.getHandle(id).describe();
    expect(updated.spec.timezone).toBe('Asia/Tokyo');
    expect(updated.policies).toMatchObject({ overlap: 'ALLOW_ALL', pauseOnFailure: true });
    expect(updated.action.args?.[0]).toMatchObject({
      timezone: 'Asia/Tokyo',
      budgetUsd: 2,
      dailyBudgetUsd: 5,
    });
    expect(await describeSchedule(config, id)).toContain('15 4 * * 1-5');

    await expect(createSchedule(config, { id, feedTemplate: 'x.jsonl' })).rejects.toThrow('--feed-template');
    await expect(updateSchedule(config, { id, overlap: 'NEVER' })).rejects.toThrow('--overlap');

    expect(await deleteSchedule(config, id)).toContain(`deleted schedule ${id}`);
    await expect(describeSchedule(config, id)).rejects.toThrow(`no schedule "${id}"`);
  });

  it("triggers a run now that scores today's feed in the schedule's time zone", async () => {
    const { h, config, id } = await start();
    // Far from UTC, so a run that took its date from UTC would read the wrong day's feed.
    const timezone = 'Pacific/Kiritimati';
    const before = dateIn(timezone, new Date());
    const feedTemplate = writeDatedFeeds(h, {
      [addDays(before, -1)]: 3,
      [before]: 7,
      [addDays(before, 1)]: 4,
    });
    // Synchronous calls: the Batch route polls for minutes, which tests the simulator, not schedules.
    await createSchedule(config, { id, at: farAway(), timezone, feedTemplate, route: 'sync' });
    const summary = await h.withWorkers(async () => {
      const { workflowId } = await triggerSchedule(config, id);
      if (!workflowId) throw new Error('the trigger started no workflow');
      expect(workflowId.startsWith(`${id}-run-`)).toBe(true);
      const handle = h.client.workflow.getHandle<() => Promise<RunSummary>>(workflowId);
      const result = await handle.result();
      const d = await handle.describe();
      expect(d.typedSearchAttributes.get(searchAttributes.RunDate)).toBe(result.runDate);
      return result;
    });
    const after = dateIn(timezone, new Date());
    expect([before, after]).toContain(summary.runDate);
    // Every scheduled run also scores the drift gate's golden canaries.
    expect(summary.planned).toBe((summary.runDate === before ? 7 : 4) + CANARIES);
    expect(summary.scored + summary.deadLettered).toBe(summary.planned);
  });

  it('backfills two past days: one run per day, each scoring its own date', async () => {
    const { h, config, id } = await start();
    const timezone = 'Europe/Berlin';
    const today = dateIn(timezone, new Date());
    const [d1, d2] = [addDays(today, -3), addDays(today, -2)];
    const feedTemplate = writeDatedFeeds(h, {
      [d1]: 5,
      [d2]: 8,
      [addDays(today, -4)]: 2,
      [addDays(today, -1)]: 2,
    });
    await createSchedule(config, { id, at: '06:30', timezone, feedTemplate, route: 'sync' });

    await expect(backfillSchedule(config, id, { from: d2, to: d1 })).rejects.toThrow('--from');
    await expect(backfillSchedule(config, id, { from: d1, to: addDays(today, 1) })).rejects.toThrow(
      /--to .* is in the future/,
    );
    await expect(backfillSchedule(config, id, { from: d1, to: d2, overlap: 'SKIP' })).rejects.toThrow(
      'BUFFER_ALL, ALLOW_ALL',
    );

    const results = await h.withWorkers(async () => {
      const { days } = await backfillSchedule(config, id, { from: d1, to: d2 });
      expect(days).toEqual([d1, d2]);
      const ids = await waitForActions(h.client, id, 2);
      return Promise.all(
        ids.map((wf) => h.client.workflow.getHandle<() => Promise<RunSummary>>(wf).result()),
      );
    });
    // Exactly those two days: no third action appeared meanwhile.
    expect((await h.client.schedule.getHandle(id).describe()).info.recentActions).toHaveLength(2);
    const byDate = Object.fromEntries(results.map((r) => [r.runDate, r]));
    expect(Object.keys(byDate).sort()).toEqual([d1, d2]);
    expect(byDate[d1]?.planned).toBe(5 + CANARIES);
    expect(byDate[d2]?.planned).toBe(8 + CANARIES);
    for (const r of results) expect(r.scored + r.deadLettered).toBe(r.planned);
    const run = await h.store.getRun(byDate[d2]?.runId ?? '');
    expect(run?.feedPath).toBe(feedTemplate.replace('{date}', d2));
  });
});
