import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFeedFile } from '../../src/feed/parse';
import { defaultCriteria, writeFeedFile } from '../../feedgen/generate';
import { buildScoringRequest } from '../../src/scoring/prompt';
import { KNOWN_MODELS, startSimulator, trueScore, type RunningSimulator } from '../../simulator';
import type { SimulatorConfigPatch } from '../../simulator';

/** Shared set-up for the phases: temp dirs, feeds, simulator configs, the ledger sampler. */

export const CRITERIA = defaultCriteria;
export const SMALL = 'gpt-4o-mini';
export const LARGE = 'gpt-4o';

export function tempDir(label: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `scoreline-bench-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The demo's realistic feed: 3% near-duplicates, 1% prompt injections, 0.3% malformed lines
 * (rejected by both pipelines). `churn` only matters between consecutive days.
 */
export async function writeFeed(
  path: string,
  o: { date: string; count: number; seed: number; churn?: number },
): Promise<string> {
  await writeFeedFile(path, {
    date: o.date,
    count: o.count,
    seed: o.seed,
    churn: o.churn ?? 0.2,
    nearDuplicateRate: 0.03,
    injectionRate: 0.01,
    malformedRate: 0.003,
  });
  return path;
}

/** The simulator's truth for each valid listing of a feed, from the exact texts the model sees. */
export async function truthOf(feedPath: string): Promise<Map<string, number>> {
  const feed = await parseFeedFile(feedPath);
  const truth = new Map<string, number>();
  for (const listing of feed.listings) {
    const req = buildScoringRequest(SMALL, CRITERIA, listing);
    const [system, user] = req.messages;
    if (system?.role === 'system' && user?.role === 'user')
      truth.set(listing.id, trueScore(system.content, user.content));
  }
  return truth;
}

/** Realistic latency (the simulator's defaults: 600 ms median / 1.5 s p95 small, 900 / 2.5 s large) and `rpm` on both tiers. */
export function limitedConfig(rpm: number): SimulatorConfigPatch {
  return {
    latencyScale: 1,
    rateLimits: {
      [SMALL]: { rpm, tpm: 150_000_000 },
      [LARGE]: { rpm, tpm: 30_000_000 },
    },
  };
}

/** Answers at once and never rate-limits: only the pipeline's own cost is left. */
export function unlimitedConfig(): SimulatorConfigPatch {
  return { latencyScale: 0, rateLimits: Object.fromEntries(KNOWN_MODELS.map((m) => [m, null])) };
}

export function startSim(seed: number, config: SimulatorConfigPatch): Promise<RunningSimulator> {
  return startSimulator({ port: 0, host: '127.0.0.1', seed, config });
}

export interface CountSample {
  t: number;
  counts: Record<string, number>;
}

/**
 * Samples the simulator's ledger (billed, i.e. admitted and answered, requests per model)
 * in this process; costs the pipelines nothing.
 */
export function sampleLedger(
  sim: RunningSimulator,
  intervalMs = 500,
  onTick?: (requests: number) => void,
): { stop(): CountSample[] } {
  const samples: CountSample[] = [];
  const take = () => {
    const ledger = sim.ledger();
    const counts: Record<string, number> = {};
    for (const [model, entry] of Object.entries(ledger.models)) if (entry) counts[model] = entry.requests;
    samples.push({ t: Date.now(), counts });
    onTick?.(ledger.total.requests);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

export function log(line: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

/**
 * Runs Scoreline and the naive pipeline one after the other on the same feed; a side that
 * fails is reported in `errors` and the other still runs.
 */
export async function sideBySide<S, N>(
  errors: string[],
  scoreline: () => Promise<S>,
  naive: () => Promise<N>,
): Promise<{ scoreline: S | undefined; naive: N | undefined }> {
  const guard = <T>(label: string, run: () => Promise<T>) =>
    run().catch((err: unknown) => {
      errors.push(`${label}: ${String(err)}`);
      return undefined;
    });
  const s = await guard('scoreline', scoreline);
  const n = await guard('naive', naive);
  return { scoreline: s, naive: n };
}
