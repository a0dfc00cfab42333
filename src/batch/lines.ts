import { wireRequest, type OutputMode } from '../llm/output-mode';
import type { ChatRequest } from '../scoring/prompt';

/**
 * The Batch API's file format, as plain functions. OpenAI caps one batch at 50,000 requests
 * and a 200 MB input file; we stay a little under the byte cap for headroom.
 */
export const MAX_LINES_PER_BATCH = 50_000;
export const MAX_BYTES_PER_BATCH = 190 * 1024 * 1024;
export const BATCH_ENDPOINT = '/v1/chat/completions';

/** Listing ids never contain '~' (see listingSchema), so it separates id and round unambiguously. */
export function customId(listingId: string, round: number): string {
  return `${listingId}~${round}`;
}

export function parseCustomId(id: string): { listingId: string; round: number } | undefined {
  const i = id.lastIndexOf('~');
  const round = Number(id.slice(i + 1));
  if (i <= 0 || !Number.isInteger(round)) return undefined;
  return { listingId: id.slice(0, i), round };
}

/** One request line, shaped for the output mode like a synchronous call (the prompt hash is the same). */
export function batchLine(
  listingId: string,
  round: number,
  body: ChatRequest,
  mode: OutputMode = 'tools',
): string {
  return JSON.stringify({
    custom_id: customId(listingId, round),
    method: 'POST',
    url: BATCH_ENDPOINT,
    body: wireRequest(body, mode),
  });
}

/** Splits lines into files that respect both caps, keeping order. */
export function splitIntoFiles(
  lines: string[],
  maxLines = MAX_LINES_PER_BATCH,
  maxBytes = MAX_BYTES_PER_BATCH,
): string[][] {
  const files: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line) + 1;
    if (current.length > 0 && (current.length >= maxLines || bytes + size > maxBytes)) {
      files.push(current);
      current = [];
      bytes = 0;
    }
    current.push(line);
    bytes += size;
  }
  if (current.length > 0) files.push(current);
  return files;
}

export interface BatchOutputLine {
  listingId: string;
  round: number;
  statusCode: number | null;
  /** The chat.completion object for a 200; otherwise null. */
  completion: ChatCompletionBody | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface ChatCompletionBody {
  model: string;
  choices: Array<{
    finish_reason: string | null;
    message: {
      refusal?: string | null;
      content?: string | null;
      tool_calls?: Array<{ type: string; function?: { name: string; arguments: string } }>;
    };
  }>;
  usage?: {
    prompt_tokens: number;
    completion_tokens: number;
    prompt_tokens_details?: { cached_tokens?: number };
  };
}

/**
 * Reads one line of an output or error file. Both shapes occur: a response with a status
 * code (and, for failures, an error body), or no response and a top-level error (expired,
 * cancelled). Lines join back to listings by custom_id only: files have no order.
 */
export function parseOutputLine(text: string): BatchOutputLine | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const line = raw as {
    custom_id?: string;
    response?: { status_code?: number; body?: unknown } | null;
    error?: { code?: string; message?: string } | null;
  };
  const id = typeof line.custom_id === 'string' ? parseCustomId(line.custom_id) : undefined;
  if (!id) return undefined;
  const status = line.response?.status_code ?? null;
  const body = line.response?.body as
    (ChatCompletionBody & { error?: { code?: string; message?: string } }) | undefined;
  if (status === 200 && body && Array.isArray(body.choices)) {
    return { ...id, statusCode: 200, completion: body, errorCode: null, errorMessage: null };
  }
  const error = line.error ?? body?.error ?? null;
  return {
    ...id,
    statusCode: status,
    completion: null,
    errorCode: error?.code ?? (status ? `http_${status}` : 'unknown'),
    errorMessage: error?.message ?? 'batch line failed',
  };
}

/** A downloaded output or error file that is not what the provider wrote: worth downloading again. */
export class CorruptBatchFile extends Error {
  override readonly name = 'CorruptBatchFile';
}

/**
 * Every line of one downloaded file, or an error naming the file and its first bad line. A
 * provider writes only well-formed lines, so a line that does not parse is a damaged download
 * (a proxy's error page, a cut connection): skipping it would quietly give up a half-price
 * answer the provider billed for, and a sync call would pay for it again.
 */
export function parseOutputFile(fileId: string, text: string): BatchOutputLine[] {
  const lines: BatchOutputLine[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const textLine = raw[i] as string;
    if (!textLine.trim()) continue;
    const line = parseOutputLine(textLine);
    if (!line) {
      const shown = textLine.length > 80 ? `${textLine.slice(0, 80)}…` : textLine;
      throw new CorruptBatchFile(
        `batch file ${fileId} line ${i + 1} is not a batch output line (JSON with a custom_id): ${shown}`,
      );
    }
    lines.push(line);
  }
  return lines;
}
