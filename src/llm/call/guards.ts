import { ApplicationFailure } from '@temporalio/common';
import { promptText, worstCaseUsage, type ChatRequest } from '../../scoring/prompt';
import { estimateTokens } from '../../scoring/token-bucket';
import { PipelineErrorType } from '../../shared/messages';
import { picoToUsd } from '../../shared/money';
import type { ProviderLimits } from '../rate-limits/headers';
import type { Reservation } from '../rate-limits/shared-limiter';
import type { CallDeps } from './deps';

/** Reserves the call's worst case before it is sent; reservations are atomic in the store. */
export async function reserveWorstCase(
  deps: CallDeps,
  scopes: string[],
  model: string,
  request: ChatRequest,
): Promise<number> {
  const worst = deps.prices.costPico(model, worstCaseUsage(request));
  const reserved = await deps.store.reserveBudget(scopes, worst);
  if (!reserved.ok) {
    deps.metrics?.budgetBlocked();
    throw ApplicationFailure.create({
      type: PipelineErrorType.BudgetExhausted,
      nonRetryable: true,
      message: `budget ${reserved.scope} has no room for a call that may cost $${picoToUsd(worst).toFixed(6)}`,
    });
  }
  return worst;
}

/** Longest wait for tokens inside an attempt: well inside the 2-minute start-to-close timeout. */
const MAX_TOKEN_WAIT_MS = 75_000;
/** The retryable failure of an attempt that gave its tokens back to wait outside the activity. */
export const TOKEN_BUDGET_WAIT = 'TokenBudgetWait';

export interface TokenReservation {
  reservation: Reservation;
  promptEstimate: number;
  maxOutput: number;
}

/** The activity's clock and liveness, so a wait neither blocks cancellation nor looks like a dead worker. */
export interface Waiting {
  sleep(ms: number): Promise<void>;
  heartbeat(): void;
}

/**
 * The cluster-wide tokens-per-minute limit: reserve the call's estimated tokens in the shared
 * bucket and wait out the deficit. A wait is capped at a minute so the activity stays well
 * inside its start-to-close timeout; the queue's dispatch rate keeps waits short anyway.
 */
export async function waitForTokenBudget(
  deps: CallDeps,
  model: string,
  request: ChatRequest,
  waiting: Waiting,
): Promise<TokenReservation | undefined> {
  const limiter = deps.tokenLimiter;
  if (!limiter) return undefined;
  const promptEstimate = estimateTokens(promptText(request));
  const maxOutput = request.max_completion_tokens;
  const reservation = await limiter.reserve(model, promptEstimate, maxOutput);
  if (reservation.waitMs > MAX_TOKEN_WAIT_MS) {
    // Sending before the wait is over would overdraw the provider (a 429); waiting longer
    // would outlast the start-to-close timeout. Give the tokens back and come back later.
    await limiter.release(reservation);
    throw ApplicationFailure.create({
      type: TOKEN_BUDGET_WAIT,
      message: `the shared ${model} token budget has room in ${Math.round(reservation.waitMs / 1000)} s`,
      nextRetryDelay: reservation.waitMs - MAX_TOKEN_WAIT_MS / 2,
    });
  }
  // In slices, heartbeating, so the heartbeat timeout does not mistake waiting for a dead worker.
  for (let left = reservation.waitMs; left > 0; left -= 5_000) {
    await waiting.sleep(Math.min(5_000, left));
    waiting.heartbeat();
  }
  return { reservation, promptEstimate, maxOutput };
}

/** Settles after the call row is written: a store hiccup here must never lose a paid call's row. */
export async function settleTokens(
  deps: CallDeps,
  t: TokenReservation | undefined,
  promptTokens: number | undefined,
  limits: ProviderLimits | undefined,
): Promise<void> {
  if (!t || !deps.tokenLimiter) return;
  await deps.tokenLimiter
    .settle(t.reservation, t.promptEstimate, t.maxOutput, promptTokens, limits)
    .catch((err: unknown) =>
      deps.logger.warn({ event: 'token_settle_failed', err }, 'could not settle a token reservation'),
    );
}
