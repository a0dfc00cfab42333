import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import type { Command } from 'commander';
import type { Config } from '../../config';
import type { BudgetChange, RunProgress } from '../../shared/messages';
import { finishEarlyUpdate, raiseBudgetUpdate } from '../../workflows/definitions';
import { ArgumentError, nonEmpty, usdAmount } from '../args';
import { withClient } from '../connect';
import { int, usd } from '../format';

export function formatProgress(p: RunProgress): string {
  const limit = (v: number | null) => (v === null ? 'unlimited' : usd(v));
  return [
    `run ${p.runId} (${p.runDate}): ${p.phase}`,
    `  listings   ${int(p.scored)} scored + ${int(p.deadLettered)} dead-lettered of ${int(p.planned)} · ${int(p.inFlight)} in flight`,
    `  spent      ${usd(p.costUsd)} · run budget ${limit(p.budgetUsd)} · day budget ${limit(p.dailyBudgetUsd)}`,
    `  shards     ${p.shardsDone}/${p.shardsTotal} done · ${p.shardsWaitingForBudget} waiting for budget · ${p.shardsInOutage} in outage`,
  ].join('\n');
}

export function budgetChange(o: { runUsd?: string; dayUsd?: string }): BudgetChange {
  if (o.runUsd === undefined && o.dayUsd === undefined) {
    throw new ArgumentError('give --run-usd, --day-usd or both: the new limit(s) in USD');
  }
  return {
    ...(o.runUsd === undefined ? {} : { budgetUsd: usdAmount('--run-usd', o.runUsd) }),
    ...(o.dayUsd === undefined ? {} : { dailyBudgetUsd: usdAmount('--day-usd', o.dayUsd) }),
  };
}

async function update<T>(
  config: Config,
  workflowId: string,
  fn: (h: WorkflowHandle) => Promise<T>,
): Promise<T> {
  const id = nonEmpty('<workflowId>', workflowId);
  return withClient(config, async (client) => {
    try {
      return await fn(client.workflow.getHandle(id));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new Error(`no running workflow "${id}"`);
      throw err;
    }
  });
}

/** Sets new limits through the run's raiseBudget update; shards waiting for budget go on. */
export async function raiseBudget(
  config: Config,
  workflowId: string,
  o: { runUsd?: string; dayUsd?: string },
): Promise<RunProgress> {
  const change = budgetChange(o);
  return update(config, workflowId, (h) => h.executeUpdate(raiseBudgetUpdate, { args: [change] }));
}

/** The finishEarly update: no new calls; what is left is parked as budget_exhausted dead letters. */
export async function finishEarly(config: Config, workflowId: string): Promise<RunProgress> {
  return update(config, workflowId, (h) => h.executeUpdate(finishEarlyUpdate));
}

export function registerBudgetCommands(
  program: Command,
  config: () => Config,
  out: (s: string) => void,
): void {
  const budget = program.command('budget').description("a running run's spend limits");
  budget
    .command('raise <workflowId>')
    .description('raise (or set) the run and/or day budget; shards waiting for budget resume')
    .option('--run-usd <usd>', 'new limit for this run')
    .option('--day-usd <usd>', "new limit for the run date's spend across runs")
    .action(async (workflowId: string, o: { runUsd?: string; dayUsd?: string }) =>
      out(formatProgress(await raiseBudget(config(), workflowId, o))),
    );
  budget
    .command('finish <workflowId>')
    .description('stop making calls and close the run with what is done (the rest becomes dead letters)')
    .action(async (workflowId: string) => out(formatProgress(await finishEarly(config(), workflowId))));
}
