#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig, type Config } from '../config';
import { defaultCriteria } from '../feed/generate';
import { dailyScoringRun } from '../workflows';
import { progressQuery } from '../workflows/definitions';
import { connectClient } from './connect';
import { runDemo } from './demo';
import { followRun } from './follow';
import { formatSummary } from './format';
import { printCalls, printDeadLetters, printResults } from './queries';
import { createDailySchedule } from './schedule';
import { stopDevServer } from './dev';

const isoDate = (flag: string) => (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
    throw new InvalidArgumentError(`${flag} must be a date like 2026-11-29`);
  }
  return v;
};
const positive =
  (flag: string, max = Number.MAX_SAFE_INTEGER) =>
  (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new InvalidArgumentError(`${flag} must be a whole number from 1 to ${max}`);
    return n;
  };
const today = () => new Date().toISOString().slice(0, 10);

function config(): Config {
  return loadConfig();
}

const program = new Command()
  .name('scoreline')
  .description('Durable, cost-aware LLM scoring of job listings on Temporal')
  .showHelpAfterError();

program
  .command('demo')
  .description('the daily run on embedded defaults: dev server, simulator, SQLite, a generated feed')
  .option('--listings <n>', 'listings in the generated feed', positive('--listings', 1_000_000), 2000)
  .option('--date <yyyy-mm-dd>', 'run date', isoDate('--date'), today())
  .option('--seed <n>', 'seed for the feed and the simulator', positive('--seed'), 42)
  .option('--ui-port <port>', 'Temporal Web UI port', positive('--ui-port', 65535), 8233)
  .action(async (o: { listings: number; date: string; seed: number; uiPort: number }) => {
    await runDemo(config(), o);
  });

program
  .command('run')
  .description('start a daily run on a running deployment (worker elsewhere) and follow it')
  .requiredOption('--feed <path>', 'JSONL feed of listings')
  .option('--date <yyyy-mm-dd>', 'run date', isoDate('--date'), today())
  .option('--criteria-file <path>', 'scoring criteria as text (default: the sample profile)')
  .option('--id <workflowId>', 'workflow id (default: daily-<date>-<time>)')
  .option('--no-follow', 'start and return the id')
  .action(async (o: { feed: string; date: string; criteriaFile?: string; id?: string; follow: boolean }) => {
    const cfg = config();
    const criteria = o.criteriaFile ? readFileSync(o.criteriaFile, 'utf8').trim() : defaultCriteria;
    if (!criteria) throw new Error(`--criteria-file ${o.criteriaFile} is empty`);
    const { client, connection } = await connectClient(cfg);
    try {
      const workflowId =
        o.id ?? `daily-${o.date}-${new Date().toISOString().slice(11, 19).replace(/:/g, '')}`;
      const handle = await client.workflow.start(dailyScoringRun, {
        taskQueue: cfg.temporal.taskQueue,
        workflowId,
        args: [{ runDate: o.date, feedPath: resolve(o.feed), criteria }],
      });
      console.log(`started ${workflowId}`);
      if (!o.follow) return;
      await followRun(handle);
      console.log(formatSummary(await handle.result()));
    } finally {
      await connection.close();
    }
  });

program
  .command('progress <workflowId>')
  .description("a run's progress, from its workflow query")
  .option('--watch', 'follow with a live progress bar until the run ends')
  .action(async (workflowId: string, o: { watch?: boolean }) => {
    const { client, connection } = await connectClient(config());
    try {
      const handle = client.workflow.getHandle(workflowId);
      if (o.watch) await followRun(handle);
      else console.log(JSON.stringify(await handle.query(progressQuery), null, 2));
    } finally {
      await connection.close();
    }
  });

program
  .command('results <runId>')
  .description("a run's scores, best first")
  .option('--limit <n>', 'rows', positive('--limit'), 50)
  .action(async (runId: string, o: { limit: number }) =>
    console.log(await printResults(config(), runId, o.limit)),
  );

program
  .command('calls')
  .description('the LLM call history (one row per attempt)')
  .option('--run <runId>')
  .option('--listing <listingId>')
  .option('--model <model>')
  .option('--status <ok|error>')
  .option('--hash <promptHash>')
  .option('--since <iso>')
  .option('--until <iso>')
  .option('--limit <n>', 'rows', positive('--limit'), 100)
  .action(async (o: Parameters<typeof printCalls>[1]) => console.log(await printCalls(config(), o)));

program
  .command('dead-letters')
  .description('listings parked for manual review')
  .option('--run <runId>')
  .action(async (o: { run?: string }) => console.log(await printDeadLetters(config(), o.run)));

const schedule = program.command('schedule').description('Temporal Schedules for the daily run');
schedule
  .command('create')
  .description('run daily at a local time (idempotent: an existing schedule is updated)')
  .requiredOption('--feed-template <path>', 'feed path; {date} is replaced by the scheduled date')
  .option('--at <HH:MM>', 'local time of day', '06:00')
  .option('--timezone <tz>', 'IANA time zone', 'UTC')
  .option('--id <scheduleId>', 'schedule id', 'scoreline-daily')
  .action(async (o: { feedTemplate: string; at: string; timezone: string; id: string }) => {
    console.log(await createDailySchedule(config(), { ...o, feedTemplate: resolve(o.feedTemplate) }));
  });

program
  .command('dev')
  .description('the local dev server the demo started')
  .command('stop')
  .action(() => console.log(stopDevServer(config())));

program.parseAsync().catch((err: unknown) => {
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
