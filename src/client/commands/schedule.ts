// The `schedule` commands: flags and wiring; the work is in schedule-manage and schedule-runs.
import type { Command } from 'commander';
import type { Config } from '../../config';
import { addFeedFlags } from '../feed-flags';
import { SCHEDULE_DEFAULTS, type RawScheduleOptions } from '../schedule-spec';
import {
  createSchedule,
  deleteSchedule,
  describeSchedule,
  listSchedules,
  pauseSchedule,
  unpauseSchedule,
  updateSchedule,
} from './schedule-manage';
import { backfillSchedule, triggerSchedule } from './schedule-runs';

export const DEFAULT_SCHEDULE_ID = 'scoreline-daily';

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
