// Runs a schedule takes on request: one now (trigger), or one per past day (backfill).
import type { Config } from '../../config';
import { ArgumentError, isoDate, overlapPolicy, type OverlapPolicy } from '../args';
import { withReadyClient } from '../connect';
import { backfillWindow, dateIn, daysBetween } from '../dates';
import type { ScheduleDescription } from '@temporalio/client';
import { describeOrExplain } from './schedule-manage';

/** Backfill only with policies that run every missed day (SKIP would drop all but one). */
export const BACKFILL_OVERLAP: readonly OverlapPolicy[] = ['BUFFER_ALL', 'ALLOW_ALL'];

/**
 * Starts one run now. Its run date is today in the schedule's time zone (a trigger's scheduled
 * time is the moment it was taken). Waits briefly to report the started workflow's id.
 */
export async function triggerSchedule(
  config: Config,
  id: string,
  overlap = 'ALLOW_ALL',
): Promise<{ message: string; workflowId?: string }> {
  const policy = overlapPolicy('--overlap', overlap);
  return withReadyClient(config, async (client) => {
    const handle = client.schedule.getHandle(id);
    const before = new Set((await describeOrExplain(client, id)).info.recentActions.map(actionId));
    await handle.trigger(policy);
    for (let i = 0; i < 50; i++) {
      const d = await handle.describe();
      const started = d.info.recentActions.find((a) => !before.has(actionId(a)));
      if (started) {
        const workflowId = started.action.workflow.workflowId;
        return { message: `triggered schedule ${id}: started ${workflowId}`, workflowId };
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return { message: `triggered schedule ${id} (overlap ${policy}); no new run yet: see schedule describe` };
  });
}

const actionId = (a: ScheduleDescription['info']['recentActions'][number]) => a.action.workflow.workflowId;

/**
 * Takes the actions the schedule would have taken on the local days from..to, now. The overlap
 * policy must run every one of them (BUFFER_ALL: one after another; ALLOW_ALL: all at once).
 */
export async function backfillSchedule(
  config: Config,
  id: string,
  o: { from: string; to: string; overlap?: string },
): Promise<{ message: string; days: string[] }> {
  const from = isoDate('--from', o.from);
  const to = isoDate('--to', o.to);
  const overlap = overlapPolicy('--overlap', o.overlap ?? 'BUFFER_ALL', BACKFILL_OVERLAP);
  if (from > to) throw new ArgumentError(`--from ${from} is after --to ${to}`);
  const days = daysBetween(from, to);
  if (days.length > 366)
    throw new ArgumentError(`--from..--to spans ${days.length} days; backfill at most 366 at once`);
  return withReadyClient(config, async (client) => {
    const d = await describeOrExplain(client, id);
    const timezone = d.spec.timezone ?? 'UTC';
    const today = dateIn(timezone, new Date());
    if (to > today) {
      throw new ArgumentError(
        `--to ${to} is in the future in ${timezone} (today is ${today}): backfill past days only`,
      );
    }
    await client.schedule.getHandle(id).backfill([{ ...backfillWindow(from, to, timezone), overlap }]);
    return {
      message: `backfilling schedule ${id} for ${days.length} day(s) ${from}..${to} (${timezone}, overlap ${overlap}); follow with: schedule describe --id ${id}`,
      days,
    };
  });
}
