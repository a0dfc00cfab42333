import { readFileSync } from 'node:fs';
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type Client,
  type ScheduleDescription,
} from '@temporalio/client';
import type { Command } from 'commander';
import type { Config } from '../../config';
import { defaultCriteria } from '../../feed/criteria';
import { ArgumentError, isoDate, nonEmpty, overlapPolicy, type OverlapPolicy } from '../args';
import { withClient, withReadyClient } from '../connect';
import { addFeedFlags } from '../feed-flags';
import { table } from '../format';
import { backfillWindow, dateIn, daysBetween } from '../dates';
import {
  buildScheduleOptions,
  calendarToCron,
  formatDescription,
  mergeSchedule,
  parseScheduleOptions,
  SCHEDULE_DEFAULTS,
  type RawScheduleOptions,
} from '../schedule-spec';

export const DEFAULT_SCHEDULE_ID = 'scoreline-daily';
/** Backfill only with policies that run every missed day (SKIP would drop all but one). */
export const BACKFILL_OVERLAP: readonly OverlapPolicy[] = ['BUFFER_ALL', 'ALLOW_ALL'];

function readCriteria(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const text = readFileSync(file, 'utf8').trim();
  if (!text) throw new ArgumentError(`--criteria-file ${file} is empty`);
  return text;
}

/** Creates the schedule, or updates it to exactly these settings when it exists (idempotent). */
export async function createSchedule(
  config: Config,
  raw: RawScheduleOptions & { criteriaFile?: string },
): Promise<string> {
  const s = parseScheduleOptions(raw);
  if (!s.feedTemplate) throw new ArgumentError('--feed-template is required to create a schedule');
  const options = buildScheduleOptions(config, s, readCriteria(raw.criteriaFile) ?? defaultCriteria);
  return withReadyClient(config, async (client) => {
    try {
      await client.schedule.create(options);
      return `created schedule ${s.id}\n${formatDescription(await client.schedule.getHandle(s.id).describe())}`;
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      const handle = client.schedule.getHandle(s.id);
      await handle.update((prev) => ({
        ...prev,
        spec: options.spec,
        action: options.action,
        policies: options.policies,
      }));
      return `updated schedule ${s.id}\n${formatDescription(await handle.describe())}`;
    }
  });
}

/** Changes only the settings given; everything else stays as it is. */
export async function updateSchedule(
  config: Config,
  raw: RawScheduleOptions & { criteriaFile?: string },
): Promise<string> {
  const s = parseScheduleOptions(raw);
  const criteria = readCriteria(raw.criteriaFile);
  return withReadyClient(config, async (client) => {
    const handle = client.schedule.getHandle(s.id);
    await describeOrExplain(client, s.id);
    await handle.update((prev) => mergeSchedule(config, prev, s, criteria));
    return `updated schedule ${s.id}\n${formatDescription(await handle.describe())}`;
  });
}

export async function describeSchedule(config: Config, id: string): Promise<string> {
  return withClient(config, async (client) => formatDescription(await describeOrExplain(client, id)));
}

async function describeOrExplain(client: Client, id: string): Promise<ScheduleDescription> {
  try {
    return await client.schedule.getHandle(nonEmpty('--id', id)).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) {
      throw new Error(`no schedule "${id}" (see: schedule list)`);
    }
    throw err;
  }
}

export async function listSchedules(config: Config): Promise<string> {
  return withClient(config, async (client) => {
    const rows: string[][] = [['schedule', 'spec', 'timezone', 'state', 'next run']];
    for await (const s of client.schedule.list()) {
      rows.push([
        s.scheduleId,
        (s.spec?.calendars ?? []).map(calendarToCron).join('; ') || '-',
        s.spec?.timezone ?? 'UTC',
        s.state.paused ? 'paused' : 'active',
        s.info.nextActionTimes[0]?.toISOString() ?? '-',
      ]);
    }
    return rows.length === 1 ? 'no schedules' : table(rows);
  });
}

export async function pauseSchedule(config: Config, id: string, note?: string): Promise<string> {
  return withClient(config, async (client) => {
    await describeOrExplain(client, id);
    await client.schedule.getHandle(id).pause(note ?? 'paused with the scoreline CLI');
    return `paused schedule ${id}`;
  });
}

export async function unpauseSchedule(config: Config, id: string, note?: string): Promise<string> {
  return withClient(config, async (client) => {
    await describeOrExplain(client, id);
    await client.schedule.getHandle(id).unpause(note ?? 'unpaused with the scoreline CLI');
    return `unpaused schedule ${id}`;
  });
}

export async function deleteSchedule(config: Config, id: string): Promise<string> {
  return withClient(config, async (client) => {
    await describeOrExplain(client, id);
    await client.schedule.getHandle(id).delete();
    return `deleted schedule ${id} (runs it started are not affected)`;
  });
}

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

export function registerScheduleCommands(
  program: Command,
  config: () => Config,
  out: (s: string) => void,
): void {
  const schedule = program.command('schedule').description('the Temporal Schedule that starts the daily run');
  const idOption = ['--id <scheduleId>', 'schedule id', DEFAULT_SCHEDULE_ID] as const;
  const specOptions = (c: Command, defaults: boolean) =>
    c
      .option('--cron <expr>', 'five-field cron, at most once a day, e.g. "0 6 * * 1-5" (instead of --at)')
      .option(
        '--at <HH:MM>',
        `local time of day${defaults ? ` (default ${SCHEDULE_DEFAULTS.at} when no --cron)` : ''}`,
      )
      .option(
        '--timezone <tz>',
        `IANA time zone for the spec and the run date${defaults ? ' (default UTC)' : ''}`,
      )
      .option(
        '--overlap <policy>',
        `when a run is still going at the next start: SKIP${defaults ? ' (default)' : ''}, BUFFER_ONE, BUFFER_ALL, ALLOW_ALL, CANCEL_OTHER, TERMINATE_OTHER`,
      )
      .option(
        '--catchup-window <duration>',
        `after a server outage, start a missed run only if it is at most this late${defaults ? ' (default "1 day")' : ''}; ` +
          "the server's default is one year, which would replay every missed day at once",
      )
      .option('--feed-template <path>', 'feed path; {date} is replaced by the run date')
      .option('--criteria-file <path>', 'scoring criteria as text (default: the sample profile)')
      .option('--budget-usd <usd>', 'spend limit per run (RunInput.budgetUsd)')
      .option('--daily-budget-usd <usd>', 'spend limit per run date across runs (RunInput.dailyBudgetUsd)')
      .option(
        '--route <route>',
        `auto${defaults ? ' (default)' : ''}: the Batch API at half price, then synchronous calls for the rest; batch; or sync`,
      )
      .option(
        '--quality-gate <mode>',
        `on drift: alarm${defaults ? ' (default)' : ''} (log, DriftDetected, summary), quarantine (also hold the scores until reviewed) or off`,
      );

  addFeedFlags(
    specOptions(
      schedule
        .command('create')
        .description('create the daily schedule; an existing one is updated to these settings'),
      true,
    ),
  )
    .option(...idOption)
    .option('--pause-on-failure', 'pause the schedule when a run fails')
    .action(async (o: RawScheduleOptions & { criteriaFile?: string }) =>
      out(await createSchedule(config(), o)),
    );

  addFeedFlags(
    specOptions(
      schedule.command('update').description('change only the given settings of a schedule'),
      false,
    ),
  )
    .option(...idOption)
    .option('--pause-on-failure', 'pause the schedule when a run fails')
    .option('--no-pause-on-failure', 'keep the schedule running when a run fails')
    .action(async (o: RawScheduleOptions & { criteriaFile?: string }) =>
      out(await updateSchedule(config(), o)),
    );

  schedule
    .command('describe')
    .description('spec, time zone, policies, action, next and recent runs')
    .option(...idOption)
    .action(async (o: { id: string }) => out(await describeSchedule(config(), o.id)));
  schedule
    .command('list')
    .description('every schedule in the namespace')
    .action(async () => out(await listSchedules(config())));
  schedule
    .command('pause')
    .option(...idOption)
    .option('--note <text>', 'why (shown by describe)')
    .action(async (o: { id: string; note?: string }) => out(await pauseSchedule(config(), o.id, o.note)));
  schedule
    .command('unpause')
    .option(...idOption)
    .option('--note <text>', 'why (shown by describe)')
    .action(async (o: { id: string; note?: string }) => out(await unpauseSchedule(config(), o.id, o.note)));
  schedule
    .command('trigger')
    .description("start a run now, for today's date in the schedule's time zone")
    .option(...idOption)
    .option('--overlap <policy>', 'overlap policy for this start', 'ALLOW_ALL')
    .action(async (o: { id: string; overlap: string }) =>
      out((await triggerSchedule(config(), o.id, o.overlap)).message),
    );
  schedule
    .command('backfill')
    .description('run the schedule for past days, each run scoring its own date')
    .option(...idOption)
    .requiredOption('--from <yyyy-mm-dd>', 'first day')
    .requiredOption('--to <yyyy-mm-dd>', 'last day (inclusive)')
    .option(
      '--overlap <policy>',
      'BUFFER_ALL (one day after another) or ALLOW_ALL (all at once)',
      'BUFFER_ALL',
    )
    .action(async (o: { id: string; from: string; to: string; overlap: string }) =>
      out((await backfillSchedule(config(), o.id, o)).message),
    );
  schedule
    .command('delete')
    .option(...idOption)
    .action(async (o: { id: string }) => out(await deleteSchedule(config(), o.id)));
}
