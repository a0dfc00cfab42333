import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../../config';
import { defaultCriteria } from '../../feed/generate';
import { dailyScoringRun } from '../../workflows';
import { progressQuery } from '../../workflows/definitions';
import { choice, isoDate, positiveInt, usdAmount } from '../args';
import { QUALITY_GATES, ROUTES } from '../schedule-spec';
import { withClient } from '../connect';
import { runDemo } from '../demo';
import { stopDevServer } from '../dev';
import { addFeedFlags, feedOptions, type FeedFlags } from '../feed-flags';
import { followRun, runFailureMessage } from '../follow';
import { formatSummary } from '../format';
import { formatProgress } from './budget';

const today = () => new Date().toISOString().slice(0, 10);

interface RunOptions extends FeedFlags {
  feed: string;
  date: string;
  criteriaFile?: string;
  id?: string;
  follow: boolean;
  budgetUsd?: string;
  dailyBudgetUsd?: string;
  route?: string;
  qualityGate?: string;
}

export async function startRun(config: Config, o: RunOptions, out: (s: string) => void): Promise<string> {
  const runDate = isoDate('--date', o.date);
  const criteria = o.criteriaFile ? readFileSync(o.criteriaFile, 'utf8').trim() : defaultCriteria;
  if (!criteria) throw new Error(`--criteria-file ${o.criteriaFile} is empty`);
  const budgetUsd = o.budgetUsd === undefined ? undefined : usdAmount('--budget-usd', o.budgetUsd);
  const dailyBudgetUsd =
    o.dailyBudgetUsd === undefined ? undefined : usdAmount('--daily-budget-usd', o.dailyBudgetUsd);
  const route = o.route === undefined ? undefined : choice('--route', o.route, ROUTES);
  const gate =
    o.qualityGate === undefined ? undefined : choice('--quality-gate', o.qualityGate, QUALITY_GATES);
  const feed = feedOptions(o);
  return withClient(config, async (client) => {
    const workflowId = o.id ?? `daily-${runDate}-${new Date().toISOString().slice(11, 19).replace(/:/g, '')}`;
    const handle = await client.workflow.start(dailyScoringRun, {
      taskQueue: config.temporal.taskQueue,
      workflowId,
      args: [
        {
          runDate,
          feedPath: resolve(o.feed),
          criteria,
          budgetUsd,
          dailyBudgetUsd,
          route,
          quality: gate ? { gate } : undefined,
          feed,
        },
      ],
      staticSummary: `Daily scoring run for ${runDate}`,
    });
    out(`started ${workflowId}`);
    if (!o.follow) return workflowId;
    await followRun(handle);
    const summary = await handle.result().catch((err: unknown) => {
      throw new Error(`run ${workflowId} failed: ${runFailureMessage(err)}`, { cause: err });
    });
    out(formatSummary(summary));
    return workflowId;
  });
}

export function registerRunCommands(program: Command, config: () => Config, out: (s: string) => void): void {
  const int = (flag: string, max?: number) => (v: string) => positiveInt(flag, v, max);
  const date = (flag: string) => (v: string) => isoDate(flag, v);
  program
    .command('demo')
    .description('the daily run on embedded defaults: dev server, simulator, SQLite, a generated feed')
    .option('--listings <n>', 'listings in the generated feed', int('--listings', 1_000_000), 2000)
    .option('--date <yyyy-mm-dd>', 'run date', date('--date'), today())
    .option('--seed <n>', 'seed for the feed and the simulator', int('--seed'), 42)
    .option('--ui-port <port>', 'Temporal Web UI port', int('--ui-port', 65535), 8233)
    .option('--reference', 'also score the feed with the large model only and report agreement with it')
    .action(
      async (o: { listings: number; date: string; seed: number; uiPort: number; reference?: boolean }) => {
        await runDemo(config(), o);
      },
    );

  const run = program
    .command('run')
    .description('start a daily run on a running deployment (worker elsewhere) and follow it')
    .requiredOption('--feed <path>', 'feed of listings: JSON lines or CSV')
    .option('--date <yyyy-mm-dd>', 'run date', today())
    .option('--criteria-file <path>', 'scoring criteria as text (default: the sample profile)')
    .option('--id <workflowId>', 'workflow id (default: daily-<date>-<time>)')
    .option('--budget-usd <usd>', 'spend limit for this run')
    .option('--daily-budget-usd <usd>', "spend limit for the run date's runs together")
    .option('--route <route>', 'auto (default: Batch API, then sync for the rest), batch or sync')
    .option(
      '--quality-gate <mode>',
      'on drift: alarm (default), quarantine (hold the scores until reviewed) or off',
    )
    .option('--no-follow', 'start and return the id');
  addFeedFlags(run).action(async (o: RunOptions) => {
    await startRun(config(), o, out);
  });

  program
    .command('progress <workflowId>')
    .description("a run's progress, from its workflow query")
    .option('--watch', 'follow with a live progress bar until the run ends')
    .option('--json', 'the raw query result')
    .action(async (workflowId: string, o: { watch?: boolean; json?: boolean }) =>
      withClient(config(), async (client) => {
        const handle = client.workflow.getHandle(workflowId);
        if (o.watch) return followRun(handle);
        const p = await handle.query(progressQuery);
        out(o.json ? JSON.stringify(p, null, 2) : formatProgress(p));
      }),
    );

  program
    .command('dev')
    .description('the local dev server the demo started')
    .command('stop')
    .action(() => out(stopDevServer(config())));
}
