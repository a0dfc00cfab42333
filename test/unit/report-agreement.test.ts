import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildReport, formatAgreement } from '../../src/client/commands/report';
import { AgreementError, computeAgreement, type AgreementScore } from '../../src/client/report/agreement';
import { renderReportHtml } from '../../src/client/report/html';
import { loadConfig, type Config } from '../../src/config';
import type { Listing } from '../../src/feed/listing';
import { openStore } from '../../src/store/open-store';
import type { Store } from '../../src/store/store';

const models = { small: 'gpt-4o-mini', large: 'gpt-4o' };
const score = (listingId: string, value: number, over: Partial<AgreementScore> = {}): AgreementScore => ({
  listingId,
  score: value,
  model: 'gpt-4o-mini',
  source: 'llm',
  contentHash: `h-${listingId}`,
  ...over,
});
const reference = (pairs: Array<[string, number]>) =>
  pairs.map(([id, value]) => score(id, value, { model: 'gpt-4o' }));

describe('agreement with a reference run', () => {
  const a = computeAgreement({
    runId: 'daily',
    referenceRunId: 'ref',
    models,
    run: [
      score('a', 7),
      score('b', 5),
      score('c', 2),
      score('d', 9, { model: 'gpt-4o' }),
      score('e', 6, { source: 'cache', model: 'gpt-4o' }),
      score('only-run', 4),
    ],
    reference: reference([
      ['a', 7],
      ['b', 6],
      ['c', 5],
      ['d', 9],
      ['e', 8],
      ['only-ref', 3],
    ]),
  });

  it('gives exact and within-±1 agreement shares and the mean absolute difference over the listings in both runs', () => {
    expect(a).toMatchObject({ referenceRunId: 'ref', compared: 5, onlyInRun: 1, onlyInReference: 1 });
    expect(a.exact).toBeCloseTo(2 / 5); // a, d
    expect(a.withinOne).toBeCloseTo(3 / 5); // a, b, d
    expect(a.meanAbsDiff).toBeCloseTo((0 + 1 + 3 + 0 + 2) / 5);
  });

  it('breaks agreement down by what produced the run’s score: small model, large model, cache', () => {
    expect(a.byProducer.map((p) => [p.producer, p.model, p.compared, p.exact, p.withinOne])).toEqual([
      ['small', 'gpt-4o-mini', 3, 1 / 3, 2 / 3],
      ['large', 'gpt-4o', 1, 1, 1],
      ['cache', null, 1, 0, 0],
    ]);
    expect(a.byProducer[0]!.meanAbsDiff).toBeCloseTo(4 / 3);
  });

  it('names the reference’s models, so an all-large reference can be told from a mixed one', () => {
    expect(a.referenceModels).toEqual([{ model: 'gpt-4o', listings: 5 }]);
  });

  it('leaves out listings whose content changed between the runs, and counts them', () => {
    const changed = computeAgreement({
      runId: 'daily',
      referenceRunId: 'ref',
      models,
      run: [score('a', 7), score('b', 5, { contentHash: 'edited' })],
      reference: reference([
        ['a', 7],
        ['b', 1],
      ]),
    });
    expect(changed).toMatchObject({ compared: 1, exact: 1, contentChanged: 1 });
  });

  it('labels a fallback model’s scores apart from the tiers', () => {
    const fallback = computeAgreement({
      runId: 'daily',
      referenceRunId: 'ref',
      models,
      run: [score('a', 7, { model: 'gpt-4.1-mini' })],
      reference: reference([['a', 8]]),
    });
    expect(fallback.byProducer).toMatchObject([{ producer: 'other', model: 'gpt-4.1-mini', withinOne: 1 }]);
    expect(formatAgreement(fallback)).toContain('gpt-4.1-mini (fallback)');
  });

  it('refuses a reference without scores, naming it', () => {
    expect(() =>
      computeAgreement({
        runId: 'daily',
        referenceRunId: 'ref',
        models,
        run: [score('a', 7)],
        reference: [],
      }),
    ).toThrow(new AgreementError('reference run ref has no scores to compare with'));
  });

  it('refuses two runs with no listings in common, naming both and what each scored', () => {
    const call = () =>
      computeAgreement({
        runId: 'daily',
        referenceRunId: 'ref',
        models,
        run: [score('a', 7), score('b', 3, { contentHash: 'edited' })],
        reference: reference([
          ['b', 3],
          ['x', 3],
        ]),
      });
    expect(call).toThrow(AgreementError);
    expect(call).toThrow(
      'run daily and reference run ref have no scored listings in common (2 and 2 scored listings; 1 changed content between the runs)',
    );
  });

  it('prints a table with one row for all listings and one per producer', () => {
    const text = formatAgreement(a);
    expect(text).toContain('Agreement with ref (its scores by gpt-4o 100.0%), joined by listing id');
    expect(text).toMatch(/all\s+5\s+40\.0%\s+60\.0%\s+1\.20/);
    expect(text).toMatch(/gpt-4o-mini \(small\)\s+3\s+33\.3%\s+66\.7%\s+1\.33/);
    expect(text).toMatch(/cache\s+1\s+0\.0%\s+0\.0%\s+2\.00/);
    expect(text).toContain(
      'not compared: 1 only in this run, 1 only in the reference, 0 with changed content',
    );
  });
});

describe('report --against', () => {
  let dir: string;
  let config: Config;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'report-agreement-'));
    config = loadConfig({ SCORELINE_DATA_DIR: dir, SCORELINE_DB: join(dir, 'scoreline.db') });
    store = openStore(config.dbPath);
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const listing = (id: string): Listing => ({
    id,
    title: 'Backend Engineer',
    company: 'Acme',
    location: 'Berlin, Germany',
    remote: false,
    seniority: 'mid',
    language: 'en',
    description: 'Build services.',
    requirements: [],
    postedAt: '2026-11-20',
  });

  /** A finished run whose listings got these scores from `model`, through the store's own gate. */
  async function scoredRun(runId: string, model: string, scores: Record<string, number>): Promise<void> {
    await store.upsertRun({
      runId,
      runDate: '2026-11-29',
      feedPath: 'feed.jsonl',
      criteria: 'c',
      status: 'completed',
      startedAt: '2026-11-29T06:00:00Z',
    });
    const ids = Object.keys(scores);
    await store.addPlanChunk(
      runId,
      ids.map((id, seq) => ({ seq, listing: listing(id), contentHash: `h-${id}` })),
    );
    for (const id of ids) {
      const callId = await store.recordCall({
        runId,
        listingId: id,
        workflowId: `wf-${runId}`,
        attempt: 1,
        model,
        route: 'sync',
        promptHash: `p-${runId}-${id}`,
        promptVersion: 'v1',
        schemaVersion: 'v1',
        startedAt: '2026-11-29T06:00:00Z',
        durationMs: 10,
        promptTokens: 100,
        cachedTokens: 0,
        completionTokens: 20,
        costPico: 1,
        status: 'ok',
        errorType: null,
        errorMessage: null,
        finishReason: 'stop',
        toolArguments: null,
        refusal: null,
      });
      await store.setCallVerdict(callId, {
        validation: 'valid',
        score: scores[id]!,
        confidence: 0.9,
        reasoning: 'r',
      });
      await store.persistValidatedScore(runId, id, callId);
    }
  }

  it('joins the run’s scores with the reference run’s from the store', async () => {
    await scoredRun('daily', 'gpt-4o-mini', { a: 7, b: 4, c: 9 });
    await scoredRun('ref', 'gpt-4o', { a: 7, b: 6, d: 2 });
    const r = await buildReport(config, 'daily', config.prices, 'ref');
    expect(r.agreement).toMatchObject({
      compared: 2,
      exact: 0.5,
      withinOne: 0.5,
      onlyInRun: 1,
      onlyInReference: 1,
    });
    expect(renderReportHtml(r)).toContain('<h2>Agreement with ref</h2>');
    expect((await buildReport(config, 'daily')).agreement).toBeUndefined();
  });

  it('names an unknown reference run and refuses the run itself as its reference', async () => {
    await scoredRun('daily', 'gpt-4o-mini', { a: 7 });
    await expect(buildReport(config, 'daily', config.prices, 'nope')).rejects.toThrow(
      `--against: no run "nope" in ${config.dbPath}`,
    );
    await expect(buildReport(config, 'daily', config.prices, 'daily')).rejects.toThrow(
      '--against must name another run than daily',
    );
  });
});
