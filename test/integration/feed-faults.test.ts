import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startRun } from '../../src/client/commands/runs';
import { followRun } from '../../src/client/follow';
import type { RunProgress } from '../../src/shared/messages';
import { dailyScoringRun } from '../../src/workflows';
import { progressQuery } from '../../src/workflows/definitions';
import { feedRun, Harness } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const TITLES = ['Senior Backend Engineer', 'Data Engineer', 'Product Designer', 'Platform Engineer', 'Nurse'];
const scrapedListing = (i: number) => ({
  id: `scraped-${i}`,
  title: TITLES[i % TITLES.length],
  company: `Company ${i}`,
  location: i % 2 ? 'Berlin, Germany' : 'Remote (EU)',
  description: `We are hiring for our team. You will build and run services in TypeScript and PostgreSQL, review code and mentor colleagues. Listing ${i}.`,
});

/** The innermost failure of a failed run: what a user is told. */
async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  let cause = (err as Error).cause;
  while (cause instanceof Error && !(cause instanceof ApplicationFailure)) cause = cause.cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

describe('feeds from real exports', () => {
  it('scores a JSONL feed of minimal listings (id, title, company, location, description)', async () => {
    harness = await new Harness({ address }).start();
    const h = harness;
    const feedPath = join(h.dir, 'scraped.jsonl');
    writeFileSync(
      feedPath,
      `\ufeff${Array.from({ length: 20 }, (_, i) => JSON.stringify(scrapedListing(i))).join('\r\n')}\r\n`,
    );
    const summary = await h.withWorkers(() =>
      h.client.workflow.execute(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('minimal-jsonl'),
        args: [feedRun(feedPath, { route: 'sync' })],
      }),
    );
    expect(summary.rejected).toBe(0);
    expect(summary.planned).toBe(20);
    expect(summary.scored + summary.deadLettered).toBe(20);
    expect(summary.scored).toBeGreaterThan(15);
    const stored = await h.store.getPlannedListing(summary.runId, 'scraped-3');
    expect(stored?.listing).toEqual({ ...scrapedListing(3), language: 'en' });
  });

  it('scores a CSV export with its own column names through `run --map` and `--mapping-file`', async () => {
    harness = await new Harness({ address }).start();
    const h = harness;
    const feedPath = join(h.dir, 'export.csv');
    const rows = Array.from({ length: 12 }, (_, i) => {
      const l = scrapedListing(i);
      return [
        l.id,
        l.title,
        l.company,
        `"${l.description}\n\nApply by mail, ""today""."`,
        i % 2 ? 'yes' : 'no',
        'x',
      ];
    });
    writeFileSync(
      feedPath,
      `\ufeffjob_ref,job_title,employer,body,remote_ok,scraped_by\r\n${rows.map((r) => r.join(',')).join('\r\n')}\r\n`,
    );
    const mappingFile = join(h.dir, 'mapping.json');
    writeFileSync(mappingFile, JSON.stringify({ id: 'job_ref', description: 'body', company: 'wrong' }));
    const lines: string[] = [];
    const id = h.workflowId('csv-mapping');
    await h.withWorkers(() =>
      startRun(
        h.cliConfig(),
        {
          feed: feedPath,
          date: '2026-11-29',
          id,
          follow: true,
          route: 'sync',
          mappingFile,
          map: ['title=job_title,company=employer', 'remote=remote_ok'],
        },
        (s) => lines.push(s),
      ),
    );
    const summary = await h.client.workflow.getHandle<typeof dailyScoringRun>(id).result();
    // 12 rows plus the 12 golden canaries the default criteria get.
    expect(summary.rejected).toBe(0);
    expect(summary.planned).toBe(24);
    expect(summary.scored + summary.deadLettered).toBe(24);
    const stored = await h.store.getPlannedListing(id, 'scraped-1');
    expect(stored?.listing).toMatchObject({
      title: 'Data Engineer',
      company: 'Company 1',
      remote: true,
      description: `${scrapedListing(1).description}\n\nApply by mail, "today".`,
    });
    expect(lines.join('\n')).toContain('24 planned, 0 rejected');
  });

  it('refuses a mapping to a field that does not exist before starting anything', async () => {
    harness = await new Harness({ address }).start();
    const h = harness;
    const id = h.workflowId('bad-map');
    await expect(
      startRun(
        h.cliConfig(),
        { feed: 'x.csv', date: '2026-11-29', id, follow: false, map: ['titel=job_title'] },
        () => {},
      ),
    ).rejects.toThrow('--map: "titel" is not a listing field');
    await expect(h.client.workflow.getHandle(id).describe()).rejects.toThrow();
  });
});

describe('feed faults are loud', () => {
  it('fails an empty feed before any LLM call, canaries included, with a message saying why', async () => {
    harness = await new Harness({ address }).start();
    const h = harness;
    const feedPath = join(h.dir, 'empty.jsonl');
    writeFileSync(feedPath, '\n\n');
    const id = h.workflowId('empty-feed');
    const failure = await h.withWorkers(() =>
      failureOf(
        h.client.workflow.execute(dailyScoringRun, {
          taskQueue: h.taskQueue,
          workflowId: id,
          args: [feedRun(feedPath, { quality: { canaries: true } })],
        }),
      ),
    );
    expect(failure.type).toBe('FeedEmpty');
    expect(failure.message).toBe(
      `feed ${feedPath} has no listings (0 lines): nothing to score; allow an empty run with --allow-empty`,
    );
    expect(h.sim.ledger().total.requests).toBe(0);
    expect(await h.store.listCalls({ runId: id, limit: 10 })).toEqual([]);
  });

  it('fails a feed with most lines rejected, giving counts and reasons, and pays for nothing', async () => {
    harness = await new Harness({ address }).start();
    const h = harness;
    const feedPath = join(h.dir, 'broken.jsonl');
    writeFileSync(
      feedPath,
      [JSON.stringify(scrapedListing(1)), '{"id": "x",', '{"id": "y",', 'oops'].join('\n'),
    );
    const failure = await h.withWorkers(() =>
      failureOf(
        h.client.workflow.execute(dailyScoringRun, {
          taskQueue: h.taskQueue,
          workflowId: h.workflowId('rejected-feed'),
          args: [feedRun(feedPath, { quality: { canaries: true } })],
        }),
      ),
    );
    expect(failure.type).toBe('FeedTooManyRejected');
    expect(failure.message).toMatch(
      /: 3 of 4 lines rejected \(75\.0%\), more than the 50% allowed .* First reasons: line 2/,
    );
    expect(h.sim.ledger().total.requests).toBe(0);
  });

  it('waits for a missing feed file in view of the progress query, then fails naming the path', async () => {
    harness = await new Harness({ address }).start();
    const h = harness;
    const feedPath = join(h.dir, 'not-there-yet.jsonl');
    const logged: string[] = [];
    const seen: RunProgress[] = [];
    const started = Date.now();
    const failure = await h.withWorkers(async () => {
      const handle = await h.client.workflow.start(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('missing-feed'),
        args: [feedRun(feedPath, { feed: { waitMs: 3000 } })],
      });
      const polling = (async () => {
        for (let i = 0; i < 40; i++) {
          const p = await handle.query(progressQuery).catch(() => undefined);
          if (p) seen.push(p);
          if (p?.phase === 'waiting_for_feed') break;
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      await followRun(handle, { tty: false, intervalMs: 200, log: (l) => logged.push(l) });
      await polling;
      return failureOf(handle.result());
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    expect(failure.type).toBe('FeedNotFound');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe(
      `feed file ${feedPath} not found: waited 3 s for it (feed.waitMs, --feed-wait)`,
    );
    const waiting = seen.find((p) => p.phase === 'waiting_for_feed');
    expect(waiting?.feedWait?.path).toBe(feedPath);
    expect(logged.some((l) => l.startsWith(`waiting for the feed file ${feedPath}`))).toBe(true);
    expect(h.sim.ledger().total.requests).toBe(0);
  });

  it('reads a feed file that appears while the run waits for it, and scores it', async () => {
    harness = await new Harness({ address }).start();
    const h = harness;
    const feedPath = join(h.dir, 'late.jsonl');
    const summary = await h.withWorkers(async () => {
      const handle = await h.client.workflow.start(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('late-feed'),
        args: [feedRun(feedPath, { route: 'sync', feed: { waitMs: 60_000 } })],
      });
      for (let i = 0; i < 100; i++) {
        if ((await handle.query(progressQuery)).phase === 'waiting_for_feed') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      writeFileSync(feedPath, [1, 2, 3].map((i) => JSON.stringify(scrapedListing(i))).join('\n'));
      return handle.result();
    });
    expect(summary.planned).toBe(3);
    expect(summary.scored + summary.deadLettered).toBe(3);
  });
});
