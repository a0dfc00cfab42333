import type { Command } from 'commander';
import type { Config } from '../../config';
import { dailyScoringRun } from '../../workflows';
import { progressQuery } from '../../workflows/definitions';
import { isoDate, positiveInt } from '../args';
import { withClient, withReadyClient } from '../connect';
import { addRunFlags, buildRunInput, runWorkflowId, today, type RunFlags } from '../run-input';
import { runDemo } from '../demo';
import { scoreFeed, type ScoreOptions } from '../score';
import { stopDevServer } from '../dev';
import { followRun, runFailureMessage } from '../follow';
import { formatSummary } from '../format';
import { formatProgress } from './budget';

interface RunOptions extends RunFlags {
  id?: string;
  follow: boolean;
}

export async function startRun(config: Config, o: RunOptions, out: (s: string) => void): Promise<string> {
  const input = buildRunInput(config, o);
  return withReadyClient(config, async (client) => {
    const workflowId = o.id ?? runWorkflowId(input.runDate);
    const handle = await client.workflow.start(dailyScoringRun, {
      taskQueue: config.temporal.taskQueue,
      workflowId,
      args: [input],
      staticSummary: `Daily scoring run for ${input.runDate}`,
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

  addRunFlags(
    program
      .command('run')
      .description('start a daily run on a running deployment (worker elsewhere) and follow it'),
  )
    .option('--id <workflowId>', 'workflow id (default: daily-<date>-<time>)')
    .option('--no-follow', 'start and return the id')
    .action(async (o: RunOptions) => {
      await startRun(config(), o, out);
    });

  addRunFlags(
    program
      .command('score')
      .description(
        'score your own feed on embedded defaults: local dev server, a worker in this process, the real provider when OPENAI_API_KEY / OPENAI_BASE_URL are set, else the simulator',
      ),
  )
    .option('--id <workflowId>', 'workflow id (default: score-<date>-<time>)')
    .option('--seed <n>', "the simulator's seed", int('--seed'), 42)
    .option(
      '--ui-port <port>',
      'Temporal Web UI port (when the dev server is started)',
      int('--ui-port', 65535),
      8233,
    )
    .action(async (o: ScoreOptions) => {
      await scoreFeed(config(), o);
    });

  program
    .command('progress <workflowId>')
    .description("a run's progress, from its workflow query")
    .option('--watch', 'follow with a live progress bar until the run ends')
    .option('--json', 'the raw query result')
    .action(async (workflowId: string, o: { watch?: boolean; json?: boolean }) =>
      withClient(config(), async (client) => {
        const handle = client.workflow.getHandle(workflowId);
        if (o.watch) return followRun(handle, { onStuck: 'warn' });
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
