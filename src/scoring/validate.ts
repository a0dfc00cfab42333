import { scoreResultSchema, type ScoreResult } from './schema';

/** What the model answered, as recorded in the call log, before anyone trusts it. */
export interface RawModelOutput {
  finishReason: string | null;
  /** The tool call's `arguments` string, or null when the model did not call the tool. */
  toolArguments: string | null;
  refusal: string | null;
}

/** Why an answer was rejected, as a fixed value (metric labels, counts); `reason` says it in words. */
export type RejectionCode = 'refusal' | 'truncated' | 'no_tool_call' | 'json' | 'schema';

export type Verdict =
  { valid: true; result: ScoreResult } | { valid: false; code: RejectionCode; reason: string };

/**
 * Decides whether a model output may be persisted. Anything but a complete, in-bounds
 * `score_listing` call is rejected with a reason a reviewer can act on.
 */
export function validateModelOutput(output: RawModelOutput): Verdict {
  if (output.refusal)
    return { valid: false, code: 'refusal', reason: `refusal: ${truncate(output.refusal, 120)}` };
  if (output.finishReason === 'length') {
    const reason = 'truncated: finish_reason "length" (output cut off at max_tokens)';
    return { valid: false, code: 'truncated', reason };
  }
  if (output.toolArguments === null)
    return { valid: false, code: 'no_tool_call', reason: 'no tool call: model did not call score_listing' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(output.toolArguments);
  } catch (err) {
    return {
      valid: false,
      code: 'json',
      reason: `invalid JSON in tool arguments: ${(err as Error).message}`,
    };
  }
  const result = scoreResultSchema.safeParse(parsed);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    return { valid: false, code: 'schema', reason: `schema violation: ${issues.join('; ')}` };
  }
  return { valid: true, result: result.data };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
