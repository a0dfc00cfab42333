import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type {
  GateItem,
  GateResult,
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

type Next<T> = (value: T) => void;
type Fail = (err: unknown) => void;

/**
 * The listing pipeline of `createListingPipeline` (score → gate with one re-ask → escalate a
 * doubtful small-model answer), with the same decisions, written as callbacks: a listing
 * costs one promise of its own, where the async version made about twenty. Every promise a
 * workflow creates runs the SDK's promise hook, which captures and formats a stack trace for
 * the stack-trace query; in `bench:floor`, 24 extra promises per activity cost 0.8 ms of
 * worker CPU. Waiting for a call slot is a queue handed on by the call that finishes, not a
 * `condition` re-checked after every activation.
 *
 * Shards started before this existed replay with the async version (the parent says which in
 * `ShardInput.flatDispatch`): when several results land in one activation, the two can
 * schedule the next calls in a different order (the 10-listing replay fixture happens to
 * replay either way, a busier shard need not).
 */
export function createFlatPipeline(input: ShardInput, totals: ShardTotals, health: ModelHealth) {
  const llm = llmProxies(input.maxAttempts);
  let calling = 0;
  const waiting: Array<() => void> = [];
  const gate = new ValidationWave(
    (items) => steps.validateAndPersist({ runId: input.runId, items }),
    input.listingConcurrency,
    () => calling === 0,
  );
  /** A finished call hands its slot to the next waiting one, so `calling` never dips in between. */
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else calling--;
  };

  const call = (
    listingId: string,
    target: ModelQueue,
    probe: boolean,
    reaskOf: number | undefined,
    fail: Fail,
    next: Next<CallOutcome>,
  ): void => {
    const send = () => {
      void llm(target.taskQueue, probe)
        .scoreListing({ runId: input.runId, listingId, model: target.model, reaskOf })
        .then(
          (result) => {
            try {
              release();
              addCall(totals, result);
              health.succeeded(target.model);
              next(result);
            } catch (err) {
              fail(err);
            }
          },
          (err: unknown) => {
            try {
              release();
              next(failedCall(err, target, probe ? 1 : input.maxAttempts, health));
            } catch (e) {
              fail(e);
            }
          },
        );
    };
    if (calling < input.listingConcurrency) {
      calling++;
      send();
    } else {
      waiting.push(send);
    }
  };

  /** The gate's verdict, guarded: a callback that throws fails its listing, not the wave loop. */
  const judge = (item: GateItem, fail: Fail, next: Next<GateResult>) =>
    gate.enqueue(
      item,
      (result) => {
        try {
          next(result);
        } catch (err) {
          fail(err);
        }
      },
      fail,
    );

  /** An answer from `target` through the gate after at most one re-ask, as `throughGate`. */
  const throughGate = (
    listingId: string,
    target: ModelQueue,
    probe: boolean,
    gateFor: Omit<GateItem, 'listingId' | 'callId'>,
    fail: Fail,
    next: Next<ListingOutcome | { held: number }>,
  ): void => {
    call(listingId, target, probe, undefined, fail, (first) => {
      if ('kind' in first) return next(first);
      judge({ listingId, callId: first.callId, holdBelow: gateFor.holdBelow }, fail, (judged) => {
        const done = (j: GateResult) => next(j.persisted ? scoredOutcome(j.persisted) : { held: j.callId });
        if (judged.verdict.valid) return done(judged);
        call(listingId, target, probe, first.callId, fail, (again) => {
          if ('kind' in again) return next(again);
          judge({ listingId, callId: again.callId, ...gateFor }, fail, (second) => {
            if (!second.verdict.valid && !second.persisted)
              return next(invalidTwice(second.verdict.reason, target.model));
            done(second);
          });
        });
      });
    });
  };

  return function scoreOne(listingId: string, route: RouteResult, probe = false): Promise<ListingOutcome> {
    return new Promise<ListingOutcome>((resolve, reject) => {
      // No escalation for a probe: its job is to ask whether the API is back.
      const escalation = probe ? undefined : route.escalation;
      const holdBelow = escalation && input.escalateBelow > 0 ? input.escalateBelow : undefined;
      throughGate(
        listingId,
        health.resolve(route, route.fallbacks),
        probe,
        { holdBelow },
        reject,
        (first) => {
          if (!('held' in first)) return resolve(first);
          // FrugalGPT's cascade: the cheap answer stands unless the model itself doubts it.
          totals.escalations++;
          const target = health.resolve(escalation as ModelQueue, route.fallbacks);
          throughGate(listingId, target, false, { otherwise: first.held }, reject, (second) => {
            if (!('held' in second) && second.kind === 'scored') return resolve(second);
            // The large model gave no usable answer: the small model's valid one stands.
            judge({ listingId, callId: first.held }, reject, (kept) => {
              if (!kept.persisted) throw new Error(`call ${first.held} was valid and is not persisted`);
              resolve(scoredOutcome(kept.persisted));
            });
          });
        },
      );
    });
  };
}
