/** Statements on the call log both backends run as written (see placeholders.ts). */
export const CALL_SQL = {
  markValid: `UPDATE llm_calls SET validation = 'valid', validation_error = NULL, score = $1, confidence = $2,
    reasoning = $3 WHERE id = $4`,

  markInvalid: `UPDATE llm_calls SET validation = 'invalid', validation_error = $1 WHERE id = $2`,
} as const;
