import type { Command } from 'commander';
import type { Config } from '../../config';
import type { RunRoute, RunSummary } from '../../shared/messages';
import type { CallRecord, DeadLetterRecord } from '../../store/store';
import { allPages, callPages } from '../../store/paging';
import { dailyScoringRun } from '../../workflows';
import { ArgumentError, choice, nonEmpty } from '../args';
import { ROUTES } from '../schedule-spec';
import { withReadyClient } from '../connect';
import { followRun } from '../follow';
import { formatSummary, table, usd } from '../format';
import { requireRun, withStore } from '../store-access';
import { picoToUsd } from '../../shared/money';

const STATUSES = ['open', 'requeued', 'resolved'] as const;

export async function listDeadLetters(config: Config, o: { run?: string; status?: string }): Promise<string> {
  const status = o.status === undefined ? undefined : choice('--status', o.status, STATUSES);
  return withStore(config, async (s) => {
    const letters = (await s.listDeadLetters(o.run)).filter((d) => !status || d.status === status);
    if (letters.length === 0) return 'no dead letters';
    return table([
      ['run', 'listing', 'reason', 'type', 'tries', 'model', 'status', 'last error / note'],
      ...letters.map((d) => [
        d.runId,
        d.listingId,
        d.reason,
        d.errorType,
        String(d.attempts),
        d.model ?? '-',
        d.status,
        (d.status === 'open' ? d.lastError : (d.note ?? d.lastError)).slice(0, 70),
      ]),
    ]);
  });
}

/** One row per call attempt: what `dead-letters show` and `explain` print. */
export function attemptsTable(calls: CallRecord[]): string {
  return table([
    ['started', 'try', 'model', 'route', 'prompt hash', 'in', 'cached', 'out', 'cost', 'outcome'],
    ...calls.map((c) => [
      c.startedAt.slice(0, 19),
      String(c.attempt),
      c.model,
      c.route,
      c.promptHash.slice(0, 16),
      String(c.promptTokens),
      String(c.cachedTokens),
      String(c.completionTokens),
      usd(picoToUsd(c.costPico)),
      outcome(c),
    ]),
  ]);
}

export function outcome(c: CallRecord): string {
  if (c.status === 'error') return `${c.errorType ?? 'error'}: ${c.errorMessage ?? ''}`.slice(0, 80);
  if (c.validation === 'invalid') return `invalid: ${c.validationError ?? ''}`.slice(0, 80);
  if (c.validation === 'valid')
    return `valid, score ${c.score ?? '?'} (conf ${c.confidence?.toFixed(2) ?? '?'})`;
  return 'answered, not validated';
}

export async function showDeadLetter(config: Config, runId: string, listingId: string): Promise<string> {
  return withStore(config, async (s) => {
    const d = await s.getDeadLetter(runId, listingId);
    if (!d) throw new Error(`no dead letter for listing "${listingId}" in run "${runId}"`);
    const planned = await s.getPlannedListing(runId, listingId);
    const calls = await allPages(callPages(s, { runId, listingId }));
    return [
      `dead letter ${runId} / ${listingId}  [${d.status}]`,
      planned
        ? `  listing   ${planned.listing.title} at ${planned.listing.company} (${planned.listing.location})`
        : '',
      `  reason    ${d.reason} (${d.errorType}) after ${d.attempts} attempt(s)${d.model ? ` on ${d.model}` : ''}`,
      `  error     ${d.lastError}`,
      `  parked    ${d.createdAt}`,
      d.note ? `  note      ${d.note}` : '',
      '',
      calls.length
        ? `call history in this run (${calls.length} attempt(s)):`
        : 'no call attempts recorded in this run',
      calls.length ? attemptsTable(calls) : '',
    ]
      .filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''))
      .join('\n')
      .trimEnd();
  });
}

export async function resolveDeadLetter(
  config: Config,
  runId: string,
  listingId: string,
  note: string | undefined,
): Promise<string> {
  const text = nonEmpty('--note', note);
  return withStore(config, async (s) => {
    const d = await s.getDeadLetter(runId, listingId);
    if (!d) throw new Error(`no dead letter for listing "${listingId}" in run "${runId}"`);
    if (d.status === 'requeued') {
      throw new Error(`${runId} / ${listingId} was requeued (${d.note ?? ''}); see that run instead`);
    }
    await s.resolveDeadLetter(runId, listingId, text);
    return `resolved ${runId} / ${listingId}: ${text}`;
  });
}

export interface RequeueOptions {
  /** Only these listings (default: every open dead letter of the run). */
  listings?: string[];
  /**
   * How the re-run calls the API (default sync): a re-run is a handful of listings someone is
   * waiting for, so the Batch API's discount is not worth its hours of latency.
   */
  route?: string;
  /** Follow with the progress bar and wait for the summary. */
  follow?: boolean;
  /** For tests: draw the bar as on a terminal or not. */
  tty?: boolean;
  /** Where progress lines go (default: stdout). */
  out?: (line: string) => void;
}

export interface RequeueResult {
  workflowId: string;
  listingIds: string[];
  summary?: RunSummary;
}

/**
 * Starts a new `dailyScoringRun` over the open dead letters of `runId` (the store's
 * planFromDeadLetters marks them requeued when the new run plans), as its own workflow linked
 * to the original by its summary and memo. Checks the letters first so a typo fails here, not
 * as an empty run.
 */
export async function requeueDeadLetters(
  config: Config,
  runId: string,
  o: RequeueOptions = {},
): Promise<RequeueResult> {
  const out = o.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const route: RunRoute = choice('--route', o.route ?? 'sync', ROUTES);
  const { run, open } = await withStore(config, async (s) => ({
    run: await requireRun(config, s, runId),
    open: (await s.listDeadLetters(runId)).filter((d) => d.status === 'open'),
  }));
  const listingIds = chooseLetters(runId, open, o.listings);
  const stamp = new Date().toISOString().replace(/[-:]/g, '');
  const workflowId = `rerun-${runId}-${stamp}`;
  return withReadyClient(config, async (client) => {
    const handle = await client.workflow.start(dailyScoringRun, {
      taskQueue: config.temporal.taskQueue,
      workflowId,
      args: [
        {
          runDate: run.runDate,
          feedPath: run.feedPath,
          criteria: run.criteria,
          rerunOf: { runId, ...(o.listings ? { listingIds } : {}) },
          route,
          maxAttempts: config.maxAttempts,
        },
      ],
      staticSummary: `Re-run of ${listingIds.length} dead letter(s) from ${runId} (${run.runDate})`,
      staticDetails: `Listings: ${listingIds.join(', ')}`,
      memo: { rerunOf: runId, listingIds },
    });
    out(`started ${workflowId}: re-running ${listingIds.length} dead letter(s) of ${runId}`);
    if (!o.follow) return { workflowId, listingIds };
    await followRun(handle, o.tty === undefined ? {} : { tty: o.tty });
    const summary = await handle.result();
    out(formatSummary(summary));
    return { workflowId, listingIds, summary };
  });
}

function chooseLetters(runId: string, open: DeadLetterRecord[], wanted: string[] | undefined): string[] {
  if (open.length === 0) {
    throw new Error(`run ${runId} has no open dead letters (see: dead-letters list --run ${runId})`);
  }
  if (!wanted) return open.map((d) => d.listingId);
  const openIds = new Set(open.map((d) => d.listingId));
  const missing = wanted.filter((id) => !openIds.has(id));
  if (missing.length) {
    throw new ArgumentError(`--listing ${missing.join(', ')}: not an open dead letter of run ${runId}`);
  }
  return [...new Set(wanted)];
}

const ROUTE_HELP = 'sync (default: a re-run is small and awaited), batch, or auto';
const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerDeadLetterCommands(
  program: Command,
  config: () => Config,
  out: (s: string) => void,
): void {
  const letters = program
    .command('dead-letters')
    .description('listings parked for review, and what to do with them');
  letters
    .command('list', { isDefault: true })
    .description('dead letters, oldest first')
    .option('--run <runId>', 'only this run')
    .option('--status <status>', 'open, requeued or resolved')
    .action(async (o: { run?: string; status?: string }) => out(await listDeadLetters(config(), o)));
  letters
    .command('show <runId> <listingId>')
    .description("the letter and the listing's call history in that run: every attempt")
    .action(async (runId: string, listingId: string) =>
      out(await showDeadLetter(config(), runId, listingId)),
    );
  letters
    .command('resolve <runId> <listingId>')
    .description('close a letter by hand with a note (it will not be re-run)')
    .requiredOption('--note <text>', 'what was decided, for the record')
    .action(async (runId: string, listingId: string, o: { note: string }) =>
      out(await resolveDeadLetter(config(), runId, listingId, o.note)),
    );
  letters
    .command('requeue <runId>')
    .description('score open dead letters again in a new run linked to the original')
    .option('--listing <listingId>', 'only this listing (repeatable)', collect)
    .option('--route <route>', ROUTE_HELP, 'sync')
    .option('--no-follow', 'start and return the id')
    .action(async (runId: string, o: { listing?: string[]; follow: boolean; route: string }) => {
      await requeueDeadLetters(config(), runId, {
        listings: o.listing,
        follow: o.follow,
        route: o.route,
        out,
      });
    });

  program
    .command('rerun')
    .description('re-run every open dead letter of a run (same as dead-letters requeue <run>)')
    .requiredOption('--failed <runId>', 'the run whose open dead letters to score again')
    .option('--route <route>', ROUTE_HELP, 'sync')
    .option('--no-follow', 'start and return the id')
    .action(async (o: { failed: string; follow: boolean; route: string }) => {
      await requeueDeadLetters(config(), o.failed, { follow: o.follow, route: o.route, out });
    });
}
