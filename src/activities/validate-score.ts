import { ApplicationFailure } from '@temporalio/activity';
import { validationReasonOf } from '../observability/metrics';
import { validateModelOutput } from '../scoring/validate';
import { PipelineErrorType, type ValidationResult } from '../shared/messages';
import type { ActivityDeps } from './deps';

export function makeValidateScore(deps: ActivityDeps) {
  /**
   * The gate in front of the database: judges the recorded output and writes the verdict
   * on the call row. `persistScore` can only copy rows this step marked valid.
   */
  return async function validateScore(input: { callId: number }): Promise<ValidationResult> {
    const call = await deps.store.getCall(input.callId);
    if (!call || call.status !== 'ok') {
      throw ApplicationFailure.nonRetryable(
        `call ${input.callId} has no output to validate`,
        PipelineErrorType.NotValidated,
      );
    }
    const verdict = validateModelOutput({
      finishReason: call.finishReason,
      toolArguments: call.toolArguments,
      refusal: call.refusal,
    });
    deps.metrics?.validation(
      verdict.valid
        ? { model: call.model, valid: true }
        : { model: call.model, valid: false, reason: validationReasonOf(verdict.reason) },
    );
    if (!verdict.valid) {
      await deps.store.setCallVerdict(call.id, { validation: 'invalid', error: verdict.reason });
      deps.logger.warn(
        {
          event: 'validation_failed',
          callId: call.id,
          listingId: call.listingId,
          runId: call.runId,
          reason: verdict.reason,
        },
        'model output rejected',
      );
      return { valid: false, reason: verdict.reason };
    }
    const { score, confidence, reasoning } = verdict.result;
    await deps.store.setCallVerdict(call.id, { validation: 'valid', score, confidence, reasoning });
    return { valid: true, score, confidence };
  };
}
