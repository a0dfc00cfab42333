import type OpenAI from 'openai';
import { toFile } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';

export const ENDPOINT = '/v1/chat/completions';

export interface InputLine {
  custom_id: string;
  method: string;
  url: string;
  body: ChatCompletionCreateParamsNonStreaming | Record<string, unknown>;
}

/** One JSONL request per body, with custom ids `req-0`, `req-1`, ... */
export function inputLines(bodies: ChatCompletionCreateParamsNonStreaming[]): InputLine[] {
  return bodies.map((body, i) => ({ custom_id: `req-${i}`, method: 'POST', url: ENDPOINT, body }));
}

export function jsonl(lines: readonly unknown[]): string {
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
}

/** Uploads through the SDK's real multipart path. */
export async function uploadBatchFile(client: OpenAI, content: string, name = 'input.jsonl') {
  return client.files.create({ file: await toFile(Buffer.from(content), name), purpose: 'batch' });
}

export async function createBatch(client: OpenAI, content: string, metadata?: Record<string, string>) {
  const file = await uploadBatchFile(client, content);
  return client.batches.create({
    input_file_id: file.id,
    endpoint: ENDPOINT,
    completion_window: '24h',
    ...(metadata ? { metadata } : {}),
  });
}

const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

/** Polls until the batch is terminal (or `until` holds); records every status seen on the way. */
export async function pollBatch(
  client: OpenAI,
  id: string,
  until: (batch: OpenAI.Batches.Batch) => boolean = (b) => TERMINAL.has(b.status),
  seen: string[] = [],
): Promise<OpenAI.Batches.Batch> {
  const deadline = Date.now() + 12_000;
  for (;;) {
    const batch = await client.batches.retrieve(id);
    if (seen[seen.length - 1] !== batch.status) seen.push(batch.status);
    if (until(batch)) return batch;
    if (Date.now() > deadline) throw new Error(`batch ${id} stuck in ${batch.status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface ResultLine {
  id: string;
  custom_id: string;
  response: { status_code: number; request_id: string; body: Record<string, unknown> } | null;
  error: { code: string; message: string } | null;
}

/** A result file's lines, in file order; an absent file reads as no lines. */
export async function resultLines(client: OpenAI, fileId: string | null | undefined): Promise<ResultLine[]> {
  if (!fileId) return [];
  const text = await (await client.files.content(fileId)).text();
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ResultLine);
}
