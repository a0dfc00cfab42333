import type { Logger } from '../observability/logger';
import type { PipelineMetrics } from '../observability/metrics';
import { validateModelOutput } from '../scoring/validate';
import type { ValidationResult } from '../shared/messages';
import type { CallRecord, Store } from '../store/store';

export interface VerdictDeps {
  store: Pick<Store, 'setCallVerdict'>;
  metrics?: PipelineMetrics;
  logger: Pick<Logger, 'warn'>;
}

/**
 * The validation step's word on one recorded answer, the same for the sync and the batch
 * route: judged once and written on the call row (a later look reads the verdict back instead
 * of judging again), counted in the validation metric by its rejection code, and a rejection
 * logged with its reason.
 */
export async function judgeRecordedCall(deps: VerdictDeps, call: CallRecord): Promise<ValidationResult> {
  if (call.validation === 'valid' && call.score !== null && call.confidence !== null) {
    return { valid: true, score: call.score, confidence: call.confidence };
  }
  if (call.validation === 'invalid') return { valid: false, reason: call.validationError ?? 'invalid' };
  const verdict = validateModelOutput({
    finishReason: call.finishReason,
    toolArguments: call.toolArguments,
    refusal: call.refusal,
  });
  deps.metrics?.validation(
    verdict.valid
      ? { model: call.model, valid: true }
      : { model: call.model, valid: false, reason: verdict.code },
  );
  if (!verdict.valid) {
    await deps.store.setCallVerdict(call.id, { validation: 'invalid', error: verdict.reason });
    deps.logger.warn(
      {
        event: 'validation_failed',
        callId: call.id,
        listingId: call.listingId,
        runId: call.runId,
        route: call.route,
        code: verdict.code,
        reason: verdict.reason,
      },
      'model output rejected',
    );
    return { valid: false, reason: verdict.reason };
  }
  const { score, confidence, reasoning } = verdict.result;
  await deps.store.setCallVerdict(call.id, { validation: 'valid', score, confidence, reasoning });
  return { valid: true, score, confidence };
}
