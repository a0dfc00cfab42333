import { WorkflowNotFoundError } from '@temporalio/client';
import type { Command } from 'commander';
import type { Config } from '../../config';
import type { RunSummary } from '../../shared/messages';
import type { Publication, QualityReport } from '../../shared/quality';
import type { RunRecord } from '../../store/store';
import { reviewRunUpdate } from '../../workflows/definitions';
import { ArgumentError, nonEmpty } from '../args';
import { withClient } from '../connect';
import { table } from '../format';
import { requireRun, withStore } from '../store-access';

/** The quality verdict stored in a finished run's summary, or a clear error saying why there is none. */
export function qualityOf(run: RunRecord): QualityReport {
  if (run.status === 'running')
    throw new Error(`run ${run.runId} is still running: it is judged when it finishes`);
  const summary = run.summaryJson ? (JSON.parse(run.summaryJson) as Partial<RunSummary>) : {};
  if (!summary.quality)
    throw new Error(`run ${run.runId} has no quality verdict (it finished before the gate existed)`);
  return summary.quality;
}

export function formatQuality(run: RunRecord, q: QualityReport): string {
  const lines = [
    `run ${run.runId} (${run.runDate}): ${run.status}, scores ${q.publication}`,
    q.drift ? q.drift.summary : 'not judged (quality gate off, or a re-run of dead letters)',
  ];
  if (q.review) {
    lines.push(
      `reviewed ${q.review.at}${q.review.reviewer ? ` by ${q.review.reviewer}` : ''}: ` +
        `${q.review.approve ? 'approved' : 'rejected'} — ${q.review.note}`,
    );
  }
  if (q.drift && q.drift.checks.length > 0) {
    lines.push(
      '',
      table([
        ['check', 'verdict', 'detail'],
        ...q.drift.checks.map((c) => [c.name, c.failed ? 'DRIFT' : 'ok', c.detail]),
      ]),
    );
  }
  if (q.quality.canaries.length > 0) {
    lines.push(
      '',
      table([
        ['canary', 'score', 'band'],
        ...q.quality.canaries.map((c) => [
          c.listingId,
          String(c.score),
          `${c.expectedBand[0]}–${c.expectedBand[1]}`,
        ]),
      ]),
    );
  }
  return lines.join('\n');
}

export async function showQuality(config: Config, runId: string): Promise<string> {
  return withStore(config, async (s) => {
    const run = await requireRun(config, s, nonEmpty('<runId>', runId));
    return formatQuality(run, qualityOf(run));
  });
}

/** Approves or rejects a quarantined run through its reviewRun update, which records the decision. */
export async function reviewRun(
  config: Config,
  runId: string,
  o: { approve: boolean; note?: string; reviewer?: string },
): Promise<Publication> {
  const id = nonEmpty('<runId>', runId);
  if (o.note === undefined || o.note.trim() === '') {
    throw new ArgumentError('give --note: why the scores are approved or rejected (kept in the run summary)');
  }
  const decision = { approve: o.approve, note: o.note, ...(o.reviewer ? { reviewer: o.reviewer } : {}) };
  return withClient(config, async (client) => {
    try {
      return await client.workflow.getHandle(id).executeUpdate(reviewRunUpdate, { args: [decision] });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError)
        throw new Error(`no running workflow "${id}" waiting for review`);
      throw err;
    }
  });
}

export function registerQualityCommands(
  program: Command,
  config: () => Config,
  out: (s: string) => void,
): void {
  const quality = program
    .command('quality')
    .description("the drift gate's verdict on a run, and review of held runs");
  quality
    .command('show <runId>')
    .description('drift checks, canaries and publication of a finished run')
    .action(async (runId: string) => out(await showQuality(config(), runId)));
  for (const approve of [true, false]) {
    quality
      .command(`${approve ? 'approve' : 'reject'} <runId>`)
      .description(
        approve
          ? "publish a quarantined run's scores (they become cache sources and baseline material)"
          : "reject a quarantined run's scores for good (re-run the day after fixing the cause)",
      )
      .requiredOption('--note <text>', 'why: kept in the run summary')
      .option('--reviewer <name>')
      .action(async (runId: string, o: { note: string; reviewer?: string }) =>
        out(`run ${runId}: scores ${await reviewRun(config(), runId, { approve, ...o })}`),
      );
  }
}
