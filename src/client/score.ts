import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config';
import type { RunSummary } from '../shared/messages';
// Types only, erased at run time: the simulator is loaded by LocalStack when it is the provider.
import type { SimulatorConfigPatch } from '../../simulator';
import { dailyScoringRun } from '../workflows';
import { ArgumentError } from './args';
import { followRun } from './follow';
import { LocalStack } from './local-stack';
import { chooseProvider, type ProviderChoice } from './provider';
import { buildRunInput, runWorkflowId, type RunFlags } from './run-input';

export interface ScoreOptions extends RunFlags {
  id?: string;
  uiPort: number;
  seed: number;
  /** Where output lines go (default stdout). */
  out?: (line?: string) => void;
  /** Draw the bar as on a terminal (default: whether stderr is one). */
  tty?: boolean;
  /** The simulator's behaviour when it is the provider (tests make it fast). */
  simulator?: SimulatorConfigPatch;
}

/** A feed given on the command line must be a readable file before anything starts. */
export function checkFeedFile(flag: string, path: string): string {
  const full = resolve(path);
  let isFile: boolean;
  try {
    isFile = statSync(full).isFile();
  } catch {
    throw new ArgumentError(`${flag} ${path}: no such file (looked at ${full})`);
  }
  if (!isFile) throw new ArgumentError(`${flag} ${path} is not a file (looked at ${full})`);
  return full;
}

/**
 * The user's own feed on embedded defaults, in one command: the local dev server, a worker in
 * this process, the real provider when the environment names one (else the simulator), one
 * daily run followed live, its summary, and where to look next. The run input comes from the
 * same builder as `run`'s, so every run flag means the same here.
 */
export async function scoreFeed(
  base: Config,
  o: ScoreOptions,
  provider: ProviderChoice = chooseProvider(base.openai),
): Promise<{ workflowId: string; summary: RunSummary }> {
  const out = o.out ?? ((line = '') => process.stdout.write(`${line}\n`));
  const feedPath = checkFeedFile('--feed', o.feed);
  const input = buildRunInput(base, { ...o, feed: feedPath });
  const stack = await LocalStack.start(base, { ...o, provider, out });
  try {
    const { config, client } = stack;
    out(`Feed       ${feedPath}`);
    if (provider.kind === 'real' && (input.route ?? 'auto') !== 'sync') {
      out(
        '           route auto: the Batch API first where the provider has one (can take hours); --route sync for minutes',
      );
    }
    await stack.addWorkers(config.temporal.taskQueue);
    const workflowId = o.id ?? runWorkflowId(input.runDate, 'score');
    const handle = await client.workflow.start(dailyScoringRun, {
      taskQueue: config.temporal.taskQueue,
      workflowId,
      // The simulator finishes a batch in seconds: poll it as often; a real provider keeps the default.
      args: [{ ...input, ...(provider.kind === 'simulator' ? { batchPollMs: 1000 } : {}) }],
      staticSummary: `Scoring ${feedPath} for ${input.runDate}`,
    });
    out(`Run        ${workflowId}`);
    out();
    await followRun(handle, o.tty === undefined ? {} : { tty: o.tty });
    const summary = await handle.result();
    out();
    for (const line of stack.summaryLines(summary)) out(line);
    out();
    for (const line of stack.whereToLook(workflowId)) out(line);
    return { workflowId, summary };
  } finally {
    await stack.close();
  }
}
