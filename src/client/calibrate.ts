import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config';
import { parseFeedFile } from '../feed/parse';
import { picoToUsd } from '../shared/money';
import { CANARY_ID_PREFIX } from '../store/store';
import type { FeedFlags } from './feed-flags';
import { RUN_DEFAULTS, type RunInput } from '../shared/messages';
import type { Store } from '../store/store';
import { allPages, callPages, scorePages } from '../store/paging';
import { dailyScoringRun } from '../workflows';
import { ArgumentError } from './args';
import { followRun } from './follow';
import { int, table } from './format';
import { LocalStack } from './local-stack';
import { chooseProvider, type ProviderChoice } from './provider';
import {
  computeCalibration,
  sampleRecords,
  type Calibration,
  type CalibrationListing,
} from './report/calibration';
import { buildRunInput, runWorkflowId } from './run-input';
import { checkFeedFile } from './score';
// Types only, erased at run time: the simulator is loaded by LocalStack when it is the provider.
import type { SimulatorConfigPatch } from '../../simulator';

export interface CalibrateOptions {
  feed: string;
  sample: number;
  seed: number;
  date: string;
  criteriaFile?: string;
  thresholds?: number[];
  uiPort: number;
  out?: (line?: string) => void;
  tty?: boolean;
  simulator?: SimulatorConfigPatch;
  /** --format, --map, --mapping-file and the rest, as for `run`. */
  feedFlags?: FeedFlags;
}

export interface CalibrateResult {
  calibration: Calibration;
  runs: { small: string; large: string };
  samplePath: string;
}

/**
 * Scores a sample of the user's feed with each model alone (synchronous, no cache, no
 * canaries, no drift gate: evaluation runs, never a baseline) through the provider the
 * environment names, else the simulator, and reports how a cascade would do at several
 * escalateBelow values. Each model gets task queues of its own with both routing tiers forced
 * to it, as `demo --reference` does for the large model, so no routing decides who answers.
 */
export async function calibrate(
  base: Config,
  o: CalibrateOptions,
  provider: ProviderChoice = chooseProvider(base.openai),
): Promise<CalibrateResult> {
  const out = o.out ?? ((line = '') => process.stdout.write(`${line}\n`));
  const feedPath = checkFeedFile('--feed', o.feed);
  const feedInput = buildRunInput(base, {
    ...(o.feedFlags ?? {}),
    feed: feedPath,
    date: o.date,
    criteriaFile: o.criteriaFile,
  });
  // Sampled after parsing, so CSV, a field mapping and the user's own field names work as in
  // a run; the sample is written as JSON lines of the normalised listings the run would plan.
  const parsed = await parseFeedFile(feedPath, {
    format: feedInput.feed?.format,
    mapping: feedInput.feed?.mapping,
    reservedIdPrefix: CANARY_ID_PREFIX,
  });
  const records = parsed.listings.map((listing) => JSON.stringify(listing));
  if (records.length === 0) {
    const why =
      parsed.rejected.length > 0
        ? `: ${parsed.rejected.length} rejected, e.g. ${parsed.rejected[0]?.reason}`
        : '';
    throw new ArgumentError(`--feed ${o.feed} has no listings to sample${why}`);
  }
  const picked = sampleRecords(records, o.sample, o.seed);
  const stamp = runWorkflowId(o.date, 'calibrate');
  const samplePath = join(resolve(base.dataDir), 'calibrate', `${stamp}.jsonl`);
  mkdirSync(join(resolve(base.dataDir), 'calibrate'), { recursive: true });
  writeFileSync(samplePath, `${picked.join('\n')}\n`);
  const input: RunInput = {
    ...feedInput,
    feedPath: samplePath,
    feed: { ...feedInput.feed, format: 'jsonl', mapping: undefined },
    route: 'sync',
    useCache: false,
    escalateBelow: 0,
    quality: { canaries: false, gate: 'off' },
  };

  const stack = await LocalStack.start(base, { ...o, provider, out });
  try {
    const { config, client } = stack;
    const { small, large } = stack.deps.routing.models;
    out(
      `Sample     ${int(picked.length)} of ${int(records.length)} listings (seed ${o.seed}) at ${samplePath}`,
    );
    const runs = { small: `${stamp}-small`, large: `${stamp}-large` };
    const startRun = async (tier: 'small' | 'large') => {
      const model = tier === 'small' ? small : large;
      const queue = `${config.temporal.taskQueue}-calibrate-${tier}`;
      await stack.addWorkers(queue, { small: model, large: model });
      return client.workflow.start(dailyScoringRun, {
        taskQueue: queue,
        workflowId: runs[tier],
        args: [input],
        staticSummary: `Calibration: ${model} alone on a sample of ${feedPath}`,
      });
    };
    const [smallRun, largeRun] = await Promise.all([startRun('small'), startRun('large')]);
    out(`Runs       ${runs.small} (${small} only) and ${runs.large} (${large} only), synchronous, no cache`);
    out();
    // One bar: the large model is the slower of the two.
    await followRun(largeRun, o.tty === undefined ? {} : { tty: o.tty });
    await Promise.all([smallRun.result(), largeRun.result()]);
    const [smallScores, largeScores] = await Promise.all([
      listingsOf(stack.deps.store, runs.small),
      listingsOf(stack.deps.store, runs.large),
    ]);
    const calibration = computeCalibration({
      small: smallScores,
      large: largeScores,
      thresholds: o.thresholds,
    });
    out();
    out(formatCalibration(calibration, { small, large, configured: RUN_DEFAULTS.escalateBelow }));
    return { calibration, runs, samplePath };
  } finally {
    await stack.close();
  }
}

/** A run's scores with what each listing's calls cost, from the store. */
async function listingsOf(store: Store, runId: string): Promise<CalibrationListing[]> {
  const scores = await allPages(scorePages(store, runId));
  const calls = await allPages(callPages(store, { runId }));
  const cost = new Map<string, number>();
  for (const c of calls) cost.set(c.listingId, (cost.get(c.listingId) ?? 0) + c.costPico);
  return scores.map((s) => ({
    listingId: s.listingId,
    contentHash: s.contentHash,
    score: s.score,
    confidence: s.confidence,
    costPico: cost.get(s.listingId) ?? 0,
  }));
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const usd1000 = (pico: number) => `$${picoToUsd(pico).toFixed(4)}`;

export function formatCalibration(
  c: Calibration,
  m: { small: string; large: string; configured: number },
): string {
  const rows = [
    ['escalateBelow', 'escalated', 'per 1,000', '±1 vs large', 'exact vs large', ''],
    ...c.cascade.map((r) => [
      r.escalateBelow.toFixed(2),
      pct(r.escalated),
      usd1000(r.costPer1000Pico),
      pct(r.withinOne),
      pct(r.exact),
      [
        r.escalateBelow === c.recommended.escalateBelow ? '← recommended' : '',
        r.escalateBelow === m.configured ? '(the default now)' : '',
      ]
        .filter(Boolean)
        .join(' '),
    ]),
  ];
  const lines = [
    `Calibration over ${int(c.compared)} listings scored by both models` +
      (c.onlySmall + c.onlyLarge ? ` (${c.onlySmall + c.onlyLarge} scored by one only, left out)` : ''),
    `  ${m.small} vs ${m.large}: ±1 ${pct(c.smallVsLarge.withinOne)} · exact ${pct(c.smallVsLarge.exact)} · mean |diff| ${c.smallVsLarge.meanAbsDiff.toFixed(2)}`,
    `  cost per 1,000 listings (synchronous prices): ${m.small} alone ${usd1000(c.costPer1000Pico.small)} · ${m.large} alone ${usd1000(c.costPer1000Pico.large)}`,
    '',
    `  cascade: ${m.small} first, ${m.large} when its confidence is below escalateBelow`,
    table(rows).replace(/^/gm, '  ').replace(/ +$/gm, ''),
    '',
    `  recommended escalateBelow ${c.recommended.escalateBelow}: ${c.recommended.rule}`,
    '  (routing sends long and ambiguous listings to the large model before any call; the cascade figures leave it out)',
  ];
  return lines.join('\n');
}
