import type { Command } from 'commander';
import type { Config } from '../../config';
import type { NearDuplicateRecord } from '../../store/dedup-store';
import { UNPUBLISHED_STATUSES, type CallFilter, type CallRecord } from '../../store/store';
import { choice, isoInstant, nonEmpty, positiveInt } from '../args';
import { int, table, usd } from '../format';
import { requireRun, withStore } from '../store-access';
import { attemptsTable, outcome } from './dead-letters';
import { picoToUsd } from '../../shared/money';

export async function printResults(
  config: Config,
  runId: string,
  limit: number,
  includeHeld = false,
): Promise<string> {
  return withStore(config, async (s) => {
    const run = await requireRun(config, s, runId);
    if (!includeHeld && UNPUBLISHED_STATUSES.includes(run.status)) {
      throw new Error(
        run.status === 'quarantined'
          ? `run ${runId} is quarantined by the drift gate: its scores are held until approved ` +
              `(scoreline quality show ${runId}; quality approve|reject ${runId} --note ...). ` +
              'Pass --include-held to read them anyway.'
          : `run ${runId}'s scores were rejected after a drift review; pass --include-held to read them anyway.`,
      );
    }
    const rows = await s.listScores(runId, limit, 0);
    const t = await s.runTotals(runId);
    const reason = async (r: (typeof rows)[number]) => {
      if (r.source !== 'near_duplicate') return r.reasoning;
      const n = await s.dedup.nearDuplicateOf(runId, r.listingId);
      return n ? nearDuplicateNote(n) : r.reasoning;
    };
    const reasons = await Promise.all(rows.map(reason));
    return [
      `Run ${runId} (${run.runDate}, ${run.status}): ${int(t.scored)} scored, ${int(t.deadLettered)} dead-lettered, ${usd(picoToUsd(t.costPico))}`,
      table([
        ['listing', 'score', 'conf', 'model', 'source', 'reasoning'],
        ...rows.map((r, i) => [
          r.listingId,
          String(r.score),
          r.confidence.toFixed(2),
          r.model,
          r.source,
          (reasons[i] ?? '').slice(0, 80),
        ]),
      ]),
    ].join('\n');
  });
}

/** How `results`, `explain` and the report name a reused answer. */
export function nearDuplicateNote(n: NearDuplicateRecord): string {
  const where = n.leaderRunId === n.runId ? '' : ` (run ${n.leaderRunId})`;
  return `scored as a near-duplicate of ${n.leaderListingId}${where}, similarity ${n.similarity.toFixed(2)}`;
}

export interface CallsOptions {
  run?: string;
  listing?: string;
  model?: string;
  status?: string;
  hash?: string;
  since?: string;
  until?: string;
  limit: number;
}

export async function printCalls(config: Config, o: CallsOptions): Promise<string> {
  const filter: CallFilter = {
    runId: o.run,
    listingId: o.listing,
    model: o.model,
    status: o.status === undefined ? undefined : choice('--status', o.status, ['ok', 'error'] as const),
    promptHash: o.hash,
    since: o.since === undefined ? undefined : isoInstant('--since', o.since),
    until: o.until === undefined ? undefined : isoInstant('--until', o.until),
    limit: o.limit,
  };
  return withStore(config, async (s) => {
    const calls = await s.listCalls(filter);
    return table([
      ['id', 'started', 'run', 'listing', 'model', 'try', 'prompt hash', 'ms', 'in', 'out', 'cost', 'result'],
      ...calls.map((c) => [
        String(c.id),
        c.startedAt.slice(0, 19),
        c.runId,
        c.listingId,
        c.model,
        String(c.attempt),
        c.promptHash.slice(0, 16),
        String(c.durationMs),
        String(c.promptTokens),
        String(c.completionTokens),
        usd(picoToUsd(c.costPico)),
        outcome(c).slice(0, 60),
      ]),
    ]);
  });
}

/** A listing's attempts grouped by run, in the order the runs first called about it. */
export function groupByRun(calls: CallRecord[]): Map<string, CallRecord[]> {
  const byRun = new Map<string, CallRecord[]>();
  for (const c of [...calls].sort((a, b) => a.id - b.id)) {
    const list = byRun.get(c.runId) ?? [];
    list.push(c);
    byRun.set(c.runId, list);
  }
  return byRun;
}

/**
 * Every attempt to score one listing, across runs: for each run the date, how the listing
 * ended there (scored, or parked and what became of the letter), and each call attempt.
 */
export async function explainListing(config: Config, listingId: string, limit = 10_000): Promise<string> {
  const id = nonEmpty('<listing>', listingId);
  return withStore(config, async (s) => {
    const calls = await s.listCalls({ listingId: id, limit });
    const reused = await s.dedup.nearDuplicatesOfListing(id);
    const reuseLines = reused.map((n) => `run ${n.runId}: no call, ${nearDuplicateNote(n)}`);
    if (calls.length === 0)
      return reuseLines.length > 0
        ? [`listing ${id}: no call attempts`, ...reuseLines].join('\n')
        : `no call attempts recorded for listing "${id}"`;
    const sections: string[] = [];
    let cost = 0;
    for (const [runId, runCalls] of groupByRun(calls)) {
      const run = await s.getRun(runId);
      const letter = await s.getDeadLetter(runId, id);
      const valid = runCalls.filter((c) => c.validation === 'valid').at(-1);
      const ended = letter
        ? `dead-lettered: ${letter.reason} (${letter.status}${letter.note ? `: ${letter.note}` : ''})`
        : valid
          ? `scored ${valid.score ?? '?'} by ${valid.model}`
          : 'no score yet';
      const runCost = runCalls.reduce((sum, c) => sum + c.costPico, 0);
      cost += runCost;
      sections.push(
        `run ${runId}${run ? ` (${run.runDate}, started ${run.startedAt.slice(0, 19)})` : ''}: ` +
          `${runCalls.length} attempt(s), ${usd(picoToUsd(runCost))}, ${ended}`,
        attemptsTable(runCalls).replace(/^/gm, '  '),
        '',
      );
    }
    const runs = groupByRun(calls).size;
    return [
      `listing ${id}: ${calls.length} attempt(s) in ${runs} run(s), ${usd(picoToUsd(cost))} in all`,
      '',
      ...sections,
      ...(reuseLines.length > 0 ? [...reuseLines, ''] : []),
      'Runs that reused a cached answer for this listing made no call and are not listed.',
    ].join('\n');
  });
}

export function registerCallCommands(program: Command, config: () => Config, out: (s: string) => void): void {
  const limit = (flag: string) => (v: string) => positiveInt(flag, v);
  program
    .command('results <runId>')
    .description("a run's scores, best first")
    .option('--limit <n>', 'rows', limit('--limit'), 50)
    .option('--include-held', "show a quarantined or rejected run's scores too")
    .action(async (runId: string, o: { limit: number; includeHeld?: boolean }) =>
      out(await printResults(config(), runId, o.limit, o.includeHeld === true)),
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
    .option('--limit <n>', 'rows', limit('--limit'), 100)
    .action(async (o: CallsOptions) => out(await printCalls(config(), o)));
  program
    .command('explain <listingId>')
    .description('every attempt to score one listing, across runs, grouped by run')
    .action(async (listingId: string) => out(await explainListing(config(), listingId)));
}
