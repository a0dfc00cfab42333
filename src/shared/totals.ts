import type { DeadLetterReason, ModelTotals, ShardTotals } from './messages';

/** Pure accounting shared by shards and the run; deterministic, so safe inside workflows. */
export function emptyTotals(): ShardTotals {
  return {
    scored: 0,
    deadLettered: 0,
    calls: 0,
    promptTokens: 0,
    completionTokens: 0,
    costPico: 0,
    byModel: {},
    histogram: Array.from({ length: 10 }, () => 0),
    deadLetterReasons: {},
    outageMs: 0,
    outages: 0,
    escalations: 0,
    fallbacks: 0,
  };
}

function emptyModel(): ModelTotals {
  return { listings: 0, calls: 0, promptTokens: 0, completionTokens: 0, costPico: 0 };
}

export function addCall(
  t: ShardTotals,
  call: { model: string; promptTokens: number; completionTokens: number; costPico: number },
): void {
  const m = (t.byModel[call.model] ??= emptyModel());
  for (const target of [t, m]) {
    target.calls += 1;
    target.promptTokens += call.promptTokens;
    target.completionTokens += call.completionTokens;
    target.costPico += call.costPico;
  }
}

export function addScored(t: ShardTotals, model: string, score: number): void {
  t.scored += 1;
  (t.byModel[model] ??= emptyModel()).listings += 1;
  const bucket = Math.min(10, Math.max(1, Math.round(score))) - 1;
  t.histogram[bucket] = (t.histogram[bucket] ?? 0) + 1;
}

export function addDeadLetter(t: ShardTotals, reason: DeadLetterReason): void {
  t.deadLettered += 1;
  t.deadLetterReasons[reason] = (t.deadLetterReasons[reason] ?? 0) + 1;
}

export function mergeTotals(into: ShardTotals, from: ShardTotals): ShardTotals {
  into.scored += from.scored;
  into.deadLettered += from.deadLettered;
  into.calls += from.calls;
  into.promptTokens += from.promptTokens;
  into.completionTokens += from.completionTokens;
  into.costPico += from.costPico;
  into.outageMs += from.outageMs;
  into.outages += from.outages;
  into.escalations += from.escalations;
  into.fallbacks += from.fallbacks;
  for (const [model, m] of Object.entries(from.byModel)) {
    const target = (into.byModel[model] ??= emptyModel());
    target.listings += m.listings;
    target.calls += m.calls;
    target.promptTokens += m.promptTokens;
    target.completionTokens += m.completionTokens;
    target.costPico += m.costPico;
  }
  from.histogram.forEach((n, i) => (into.histogram[i] = (into.histogram[i] ?? 0) + n));
  for (const [reason, n] of Object.entries(from.deadLetterReasons)) {
    into.deadLetterReasons[reason] = (into.deadLetterReasons[reason] ?? 0) + n;
  }
  return into;
}
