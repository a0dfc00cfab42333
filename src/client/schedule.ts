import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../config';
import { defaultCriteria } from '../feed/generate';
import { dailyScoringRun } from '../workflows';
import { connectClient } from './connect';

export interface DailyScheduleOptions {
  id: string;
  at: string;
  timezone: string;
  feedTemplate: string;
}

/**
 * A daily Schedule that starts `dailyScoringRun` with no run date: the workflow takes the
 * date from the scheduled time (TemporalScheduledStartTime) in the schedule's time zone, so
 * a backfill of last Tuesday scores last Tuesday's feed. Creating it twice updates it.
 */
export async function createDailySchedule(config: Config, o: DailyScheduleOptions): Promise<string> {
  const match = /^(\d{1,2}):(\d{2})$/.exec(o.at);
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (!match || hour > 23 || minute > 59) throw new Error(`--at must be a time like 06:00, got "${o.at}"`);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: o.timezone });
  } catch {
    throw new Error(`--timezone must be an IANA time zone like Europe/Berlin, got "${o.timezone}"`);
  }
  if (!o.feedTemplate.includes('{date}')) {
    throw new Error(
      `--feed-template must contain {date} so each day reads its own feed, got "${o.feedTemplate}"`,
    );
  }
  const options: ScheduleOptions = {
    scheduleId: o.id,
    spec: { calendars: [{ hour, minute }], timezone: o.timezone },
    action: {
      type: 'startWorkflow',
      workflowType: dailyScoringRun,
      taskQueue: config.temporal.taskQueue,
      workflowId: `${o.id}-run`,
      args: [{ feedPath: o.feedTemplate, criteria: defaultCriteria, timezone: o.timezone }],
    },
    policies: {
      // A day's run still going when the next is due is skipped, not doubled up.
      overlap: ScheduleOverlapPolicy.SKIP,
      // After an outage, run the missed day only if it is less than a day late (the server
      // default, a year, would replay every missed day at once).
      catchupWindow: '1 day',
    },
  };
  const { client, connection } = await connectClient(config);
  try {
    try {
      await client.schedule.create(options);
      return `created schedule ${o.id}: daily at ${o.at} ${o.timezone}`;
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(o.id).update((prev) => ({
        ...prev,
        spec: options.spec,
        action: options.action,
        policies: options.policies,
      }));
      return `updated schedule ${o.id}: daily at ${o.at} ${o.timezone}`;
    }
  } finally {
    await connection.close();
  }
}
