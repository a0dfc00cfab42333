// The schedule's own lifecycle against the Temporal client: create, update, read, pause, delete.
import { readFileSync } from 'node:fs';
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type Client,
  type ScheduleDescription,
} from '@temporalio/client';
import type { Config } from '../../config';
import { defaultCriteria } from '../../feed/criteria';
import { ArgumentError, nonEmpty } from '../args';
import { withClient, withReadyClient } from '../connect';
import { table } from '../format';
import {
  buildScheduleOptions,
  calendarToCron,
  formatDescription,
  mergeSchedule,
  parseScheduleOptions,
  type RawScheduleOptions,
} from '../schedule-spec';

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

export async function describeOrExplain(client: Client, id: string): Promise<ScheduleDescription> {
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
