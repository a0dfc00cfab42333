/**
 * Validation of a batch input file, run once when a batch leaves `validating`. OpenAI's rules:
 * every line is a JSON object with a `custom_id` unique within the file, `method: "POST"`, a
 * `url` equal to the batch's endpoint and a `body`; one model per file; at most 50,000 requests
 * and 200 MB. Any violation fails the whole batch, listing the offending lines in `errors.data`.
 * The request bodies themselves are checked only when each line runs, and a bad one lands in the
 * error file. The error codes mirror OpenAI's where its docs name them; the rest are ours.
 */

export const MAX_BATCH_REQUESTS = 50_000;
export const MAX_BATCH_INPUT_BYTES = 200 * 1024 * 1024;
/** A file with a million bad lines must not produce a million-entry batch object. */
const MAX_REPORTED_ERRORS = 100;

export interface BatchLine {
  /** 1-based line number in the input file. */
  line: number;
  customId: string;
  body: Record<string, unknown>;
}

export interface BatchValidationError {
  code: string;
  message: string;
  param: string | null;
  line: number | null;
}

export type BatchInput =
  { ok: true; lines: BatchLine[]; model: string | undefined } | { ok: false; errors: BatchValidationError[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const fileError = (code: string, message: string): BatchInput => ({
  ok: false,
  errors: [{ code, message, param: null, line: null }],
});

function checkLine(text: string, line: number, endpoint: string): BatchLine | BatchValidationError {
  const fail = (code: string, message: string, param: string | null = null) => ({
    code,
    message,
    param,
    line,
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    return fail('invalid_json_line', 'This line is not parseable as valid JSON.');
  }
  if (!isRecord(parsed)) return fail('invalid_json_line', 'Each line must be a JSON object.');
  for (const param of ['custom_id', 'method', 'url', 'body'])
    if (!(param in parsed))
      return fail('missing_required_parameter', `Missing required parameter: '${param}'.`, param);
  const { custom_id: customId, method, url, body } = parsed;
  if (typeof customId !== 'string' || customId.length === 0)
    return fail('invalid_custom_id', "'custom_id' must be a non-empty string.", 'custom_id');
  if (method !== 'POST') return fail('invalid_method', "'method' must be 'POST'.", 'method');
  if (url !== endpoint)
    return fail(
      'invalid_url',
      `The url '${String(url)}' does not match the batch endpoint '${endpoint}'.`,
      'url',
    );
  if (!isRecord(body)) return fail('invalid_body', "'body' must be a JSON object.", 'body');
  return { line, customId, body };
}

/** Parses and checks a JSONL input file against the batch endpoint. */
export function validateBatchInput(content: Buffer, endpoint: string): BatchInput {
  if (content.length > MAX_BATCH_INPUT_BYTES)
    return fileError('file_too_large', `The input file exceeds the ${MAX_BATCH_INPUT_BYTES} byte limit.`);
  const rows = content.toString('utf8').split('\n');
  const filled = rows.reduce((n, row) => (row.trim() === '' ? n : n + 1), 0);
  if (filled === 0) return fileError('empty_file', 'The input file contains no requests.');
  if (filled > MAX_BATCH_REQUESTS)
    return fileError(
      'too_many_requests',
      `The input file has ${filled} requests; a batch may contain at most ${MAX_BATCH_REQUESTS}.`,
    );

  const lines: BatchLine[] = [];
  const errors: BatchValidationError[] = [];
  const seen = new Map<string, number>();
  let model: string | undefined;
  rows.forEach((row, index) => {
    const text = row.endsWith('\r') ? row.slice(0, -1) : row;
    if (text.trim() === '' || errors.length >= MAX_REPORTED_ERRORS) return;
    const checked = checkLine(text, index + 1, endpoint);
    if (!('customId' in checked)) return void errors.push(checked);
    const first = seen.get(checked.customId);
    if (first !== undefined)
      return void errors.push({
        code: 'duplicate_custom_id',
        message: `The custom_id '${checked.customId}' is a duplicate of line ${first}; custom_id must be unique within a batch.`,
        param: 'custom_id',
        line: checked.line,
      });
    seen.set(checked.customId, checked.line);
    const lineModel = checked.body.model;
    if (typeof lineModel === 'string') {
      model ??= lineModel;
      if (lineModel !== model)
        return void errors.push({
          code: 'mismatched_model',
          message: `The model '${lineModel}' differs from '${model}' used by earlier lines; a batch uses one model.`,
          param: 'body.model',
          line: checked.line,
        });
    }
    lines.push(checked);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, lines, model };
}
