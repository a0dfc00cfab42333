import { PriceTable } from '../../src/scoring/pricing';
import type { Ledger } from '../../simulator';
import { allPages, callPages, scorePages } from '../../src/store/paging';
import type { CallRecord, Store } from '../../src/store/store';

/**
 * What a run left behind, checked against what the provider billed. Shared by the crash
 * tests and `npm run chaos`, so both hold the pipeline to the same definition of "accounted".
 */

export interface Usage {
  requests: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  /** Exact integer nano-USD: both price lists are whole nano-dollars per token. */
  nanoUsd: number;
}

export interface Accounting {
  planned: number;
  scored: number;
  deadLettered: number;
  deadLetterReasons: Record<string, number>;
  /** Planned listings with neither a score nor a dead letter. */
  unaccounted: number;
  /** Listings with both a score and a dead letter: accounted twice. */
  scoredAndDead: number;
  /** (run, listing) pairs with more than one score row (the table's key forbids it; checked anyway). */
  duplicateScores: number;
  /**
   * Prompts paid for twice and both recorded: more than one successful call row for the same
   * (listing, prompt hash). A re-ask or an escalation is a different prompt (the rejected answer,
   * another model), so it never counts; a retry must reuse the recorded success instead.
   */
  duplicatePaidCalls: number;
  /** Scores outside the schema's bounds, or copied from a call whose verdict is not `valid`. */
  invalidScores: number;
  callsOk: number;
  callsError: number;
  errorTypes: Record<string, number>;
  recorded: Usage;
  billed: Usage;
  recordedByModel: Record<string, Usage>;
  billedByModel: Record<string, Usage>;
  /**
   * Activity attempts that left no row: attempt n+1 of a prompt exists more often than attempt n.
   * Only a process that died mid-attempt does that (every attempt that returns or throws writes
   * its row first). A lower bound: a lost last attempt is followed by no higher one.
   */
  lostAttempts: number;
  /** Billed minus recorded, per dimension: calls the provider answered whose worker died before writing the row. */
  unrecorded: Usage;
  /** The pipeline's price list applied to the unrecorded tokens, to tell pricing drift from lost rows. */
  unrecordedPricedNano: number;
}

const emptyUsage = (): Usage => ({
  requests: 0,
  promptTokens: 0,
  cachedTokens: 0,
  completionTokens: 0,
  nanoUsd: 0,
});

function minus(a: Usage, b: Usage): Usage {
  return {
    requests: a.requests - b.requests,
    promptTokens: a.promptTokens - b.promptTokens,
    cachedTokens: a.cachedTokens - b.cachedTokens,
    completionTokens: a.completionTokens - b.completionTokens,
    nanoUsd: a.nanoUsd - b.nanoUsd,
  };
}

function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const it of items) m.set(key(it), (m.get(key(it)) ?? 0) + 1);
  return m;
}

/** Lost attempts per prompt: for each attempt number n ≥ 2, how far it outnumbers attempt n − 1. */
function lostAttemptsOf(calls: CallRecord[]): number {
  const byPrompt = new Map<string, number[]>();
  for (const c of calls) {
    const key = `${c.listingId}|${c.promptHash}`;
    const counts = byPrompt.get(key) ?? [];
    counts[c.attempt] = (counts[c.attempt] ?? 0) + 1;
    byPrompt.set(key, counts);
  }
  let lost = 0;
  for (const counts of byPrompt.values()) {
    for (let n = 2; n < counts.length; n++) lost += Math.max(0, (counts[n] ?? 0) - (counts[n - 1] ?? 0));
  }
  return lost;
}

export async function accountRun(store: Store, runId: string, ledger: Ledger): Promise<Accounting> {
  // The whole plan; PostgreSQL's seq column is a 32-bit integer, so the bounds must fit in one.
  const plan = await store.planItems(runId, -(2 ** 31), 2 ** 31 - 1);
  const calls = await allPages(callPages(store, { runId }));
  const scores = await allPages(scorePages(store, runId));
  const dead = await store.listDeadLetters(runId);
  const callById = new Map(calls.map((c) => [c.id, c]));
  const scoredIds = new Set(scores.map((s) => s.listingId));
  const deadIds = new Set(dead.map((d) => d.listingId));

  const ok = calls.filter((c) => c.status === 'ok');
  const recordedByModel: Record<string, Usage> = {};
  for (const c of ok) {
    const u = (recordedByModel[c.model] ??= emptyUsage());
    u.requests++;
    u.promptTokens += c.promptTokens;
    u.cachedTokens += c.cachedTokens;
    u.completionTokens += c.completionTokens;
    u.nanoUsd += c.costPico / 1000;
  }
  const billedByModel: Record<string, Usage> = {};
  for (const [model, e] of Object.entries(ledger.models)) {
    billedByModel[model] = {
      requests: e.requests,
      promptTokens: e.promptTokens,
      cachedTokens: e.cachedTokens,
      completionTokens: e.completionTokens,
      nanoUsd: e.nanoUsd,
    };
  }
  const sum = (byModel: Record<string, Usage>) =>
    Object.values(byModel).reduce((t, u) => {
      for (const k of Object.keys(t) as Array<keyof Usage>) t[k] += u[k];
      return t;
    }, emptyUsage());
  const prices = new PriceTable();
  let unrecordedPricedNano = 0;
  for (const model of new Set([...Object.keys(billedByModel), ...Object.keys(recordedByModel)])) {
    const gap = minus(billedByModel[model] ?? emptyUsage(), recordedByModel[model] ?? emptyUsage());
    unrecordedPricedNano += prices.costPico(model, gap) / 1000;
  }

  const invalidScores = scores.filter((s) => {
    const call = callById.get(s.callId);
    const inBounds =
      Number.isInteger(s.score) &&
      s.score >= 1 &&
      s.score <= 10 &&
      s.confidence >= 0 &&
      s.confidence <= 1 &&
      s.reasoning.length >= 1 &&
      s.reasoning.length <= 200;
    const fromValidCall =
      s.source === 'cache' ||
      (call?.validation === 'valid' && call.status === 'ok' && call.score === s.score);
    return !inBounds || !fromValidCall;
  }).length;

  const errorTypes: Record<string, number> = {};
  for (const c of calls) if (c.errorType) errorTypes[c.errorType] = (errorTypes[c.errorType] ?? 0) + 1;
  const deadLetterReasons: Record<string, number> = {};
  for (const d of dead) deadLetterReasons[d.reason] = (deadLetterReasons[d.reason] ?? 0) + 1;

  const recorded = sum(recordedByModel);
  const billed = sum(billedByModel);
  return {
    planned: plan.length,
    scored: scores.length,
    deadLettered: dead.length,
    deadLetterReasons,
    unaccounted: plan.filter((p) => !scoredIds.has(p.listingId) && !deadIds.has(p.listingId)).length,
    scoredAndDead: [...scoredIds].filter((id) => deadIds.has(id)).length,
    duplicateScores: [...countBy(scores, (s) => s.listingId).values()].filter((n) => n > 1).length,
    duplicatePaidCalls: [...countBy(ok, (c) => `${c.listingId}|${c.promptHash}`).values()].filter(
      (n) => n > 1,
    ).length,
    invalidScores,
    callsOk: ok.length,
    callsError: calls.length - ok.length,
    errorTypes,
    recorded,
    billed,
    recordedByModel,
    billedByModel,
    lostAttempts: lostAttemptsOf(calls),
    unrecorded: minus(billed, recorded),
    unrecordedPricedNano,
  };
}

/**
 * The invariants, as messages; empty means the run is clean. `exactBilling` demands that
 * recorded equals billed (no process was killed); otherwise a gap is allowed only where a
 * killed worker can explain it: never negative, priced exactly by the pipeline's own table,
 * and no larger than the attempts that left no row.
 */
export function invariantFailures(a: Accounting, opts: { exactBilling: boolean }): string[] {
  const f: string[] = [];
  if (a.scored + a.deadLettered !== a.planned)
    f.push(`scored ${a.scored} + dead-lettered ${a.deadLettered} != planned ${a.planned}`);
  if (a.unaccounted) f.push(`${a.unaccounted} planned listings have neither a score nor a dead letter`);
  if (a.scoredAndDead) f.push(`${a.scoredAndDead} listings are both scored and dead-lettered`);
  if (a.duplicateScores) f.push(`${a.duplicateScores} listings have more than one score`);
  if (a.duplicatePaidCalls)
    f.push(`${a.duplicatePaidCalls} prompts have more than one recorded successful call`);
  if (a.invalidScores) f.push(`${a.invalidScores} persisted scores are out of bounds or not validated`);
  const u = a.unrecorded;
  const gapText = `billed ${a.billed.requests} calls / ${a.billed.nanoUsd} nano-USD, recorded ${a.recorded.requests} / ${a.recorded.nanoUsd}`;
  if (opts.exactBilling) {
    if (u.requests !== 0 || u.nanoUsd !== 0) f.push(`billing mismatch: ${gapText}`);
  } else {
    const dims = [u.requests, u.promptTokens, u.cachedTokens, u.completionTokens, u.nanoUsd];
    if (dims.some((d) => d < 0)) f.push(`recorded more than was billed: ${gapText}`);
    if (u.nanoUsd !== a.unrecordedPricedNano)
      f.push(
        `unrecorded cost ${u.nanoUsd} nano-USD != its tokens priced by the pipeline ${a.unrecordedPricedNano}`,
      );
    if (u.requests > a.lostAttempts)
      f.push(
        `${u.requests} billed calls unrecorded, but only ${a.lostAttempts} attempts were lost: ${gapText}`,
      );
  }
  return f;
}
