import { condition, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type {
  GateItem,
  ListingOutcome,
  ModelQueue,
  RouteResult,
  ShardInput,
  ShardTotals,
} from '../shared/messages';
import { addCall } from '../shared/totals';
import { storeStepOptions } from './activity-options';
import { failedCall, invalidTwice, llmProxies, scoredOutcome, type CallOutcome } from './listing-steps';
import type { ModelHealth } from './model-health';
import { ValidationWave } from './validation-wave';

const steps = proxyActivities<Activities>(storeStepOptions);

/**
 * One listing, on the route planning stored: score → gate (validate and persist in one step,
 * one re-ask if invalid) → escalate a low-confidence small-model answer to the large model.
 * The only activity per listing is the LLM call itself; the gate judges a wave of answers at a
 * time. Returns what happened; the shard decides about dead letters, outages and budget pauses.
 */
export function createListingPipeline(
  input: ShardInput,
  totals: ShardTotals,
  health: ModelHealth,
  /** Wait only when there is something to wait for (see `shard-lean-dispatch` in the shard). */
  lean = false,
) {
  const llm = llmProxies(input.maxAttempts);
  // LLM calls in flight are bounded here, not by the lanes: a listing waiting for its wave
  // holds no call slot, so the provider's queue stays full while the gate works.
  let calling = 0;
  const gate = new ValidationWave(
    (items) => steps.validateAndPersist({ runId: input.runId, items }),
    input.listingConcurrency,
    () => calling === 0,
  );

  const call = async (
    listingId: string,
    target: ModelQueue,
    probe: boolean,
    reaskOf?: number,
  ): Promise<CallOutcome> => {
    if (!lean || calling >= input.listingConcurrency)
      await condition(() => calling < input.listingConcurrency);
    calling++;
    try {
      const result = await llm(target.taskQueue, probe).scoreListing({
        runId: input.runId,
        listingId,
        model: target.model,
        reaskOf,
      });
      addCall(totals, result);
      health.succeeded(target.model);
      return result;
    } catch (err) {
      return failedCall(err, target, probe ? 1 : input.maxAttempts, health);
    } finally {
      calling--;
    }
  };

  /**
   * An answer from `target` through the gate, after at most one re-ask: persisted, held for
   * escalation (`held`, with the valid answer's call), or why there is none.
   */
  const throughGate = async (
    listingId: string,
    target: ModelQueue,
    probe: boolean,
    gateFor: Omit<GateItem, 'listingId' | 'callId'>,
  ): Promise<ListingOutcome | { held: number }> => {
    let result = await call(listingId, target, probe);
    if ('kind' in result) return result;
    let judged = await gate.submit({ listingId, callId: result.callId, holdBelow: gateFor.holdBelow });
    if (!judged.verdict.valid) {
      result = await call(listingId, target, probe, result.callId);
      if ('kind' in result) return result;
      judged = await gate.submit({ listingId, callId: result.callId, ...gateFor });
      if (!judged.verdict.valid && !judged.persisted)
        return invalidTwice(judged.verdict.reason, target.model);
    }
    return judged.persisted ? scoredOutcome(judged.persisted) : { held: judged.callId };
  };

  return async function scoreOne(
    listingId: string,
    route: RouteResult,
    probe = false,
  ): Promise<ListingOutcome> {
    // No escalation for a probe: its job is to ask whether the API is back.
    const escalation = probe ? undefined : route.escalation;
    const holdBelow = escalation && input.escalateBelow > 0 ? input.escalateBelow : undefined;
    const first = await throughGate(listingId, health.resolve(route, route.fallbacks), probe, { holdBelow });
    if (!('held' in first)) return first;
    // FrugalGPT's cascade: the cheap answer stands unless the model itself doubts it.
    totals.escalations++;
    const target = health.resolve(escalation as ModelQueue, route.fallbacks);
    const second = await throughGate(listingId, target, false, { otherwise: first.held });
    if (!('held' in second) && second.kind === 'scored') return second;
    // The large model gave no usable answer: the small model's valid one stands.
    const kept = await gate.submit({ listingId, callId: first.held });
    if (!kept.persisted) throw new Error(`call ${first.held} was valid and is not persisted`);
    return scoredOutcome(kept.persisted);
  };
}
