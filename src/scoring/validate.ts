import { scoreResultSchema, type ScoreResult } from './schema';

/** What the model answered, as recorded in the call log, before anyone trusts it. */
export interface RawModelOutput {
  finishReason: string | null;
  /** The tool call's `arguments` string, or null when the model did not call the tool. */
  toolArguments: string | null;
  refusal: string | null;
}

export type Verdict = { valid: true; result: ScoreResult } | { valid: false; reason: string };

/**
 * Decides whether a model output may be persisted. Anything but a complete, in-bounds
 * `score_listing` call is rejected with a reason a reviewer can act on.
 */
export function validateModelOutput(output: RawModelOutput): Verdict {
  if (output.refusal) return { valid: false, reason: `refusal: ${truncate(output.refusal, 120)}` };
  if (output.finishReason === 'length') {
    return { valid: false, reason: 'truncated: finish_reason "length" (output cut off at max_tokens)' };
  }
  if (output.toolArguments === null)
    return { valid: false, reason: 'no tool call: model did not call score_listing' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(output.toolArguments);
  } catch (err) {
    return { valid: false, reason: `invalid JSON in tool arguments: ${(err as Error).message}` };
  }
  const result = scoreResultSchema.safeParse(parsed);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    return { valid: false, reason: `schema violation: ${issues.join('; ')}` };
  }
  return { valid: true, result: result.data };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
