import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../simulator';
import { createBatch, ENDPOINT, inputLines, jsonl, pollBatch } from './batch-helpers';
import { makeListings, scoringRequest, startTestSimulator } from './helpers';

let sim: RunningSimulator;
let client: OpenAI;
beforeAll(async () => {
  ({ sim, client } = await startTestSimulator({
    config: { batch: { validatingMs: 10, processingMsPerLine: 1, finalizingMs: 10, cancellingMs: 10 } },
  }));
});
afterAll(() => sim.close());

const lines = inputLines(makeListings(4).map((l) => scoringRequest(l)));

async function failedErrors(content: string) {
  const batch = await pollBatch(client, (await createBatch(client, content)).id);
  expect(batch.status).toBe('failed');
  expect(batch.failed_at).toBeGreaterThanOrEqual(batch.created_at);
  expect(batch.output_file_id).toBeNull();
  expect(batch.errors?.object).toBe('list');
  return batch.errors?.data ?? [];
}

describe('batch input validation', () => {
  it('fails a batch whose custom_ids repeat, naming each duplicate line', async () => {
    const before = sim.ledger().total.requests;
    const duplicated = [
      lines[0],
      lines[1],
      { ...lines[2], custom_id: 'req-0' },
      { ...lines[3], custom_id: 'req-1' },
    ];
    const errors = await failedErrors(jsonl(duplicated));
    expect(errors.map((e) => [e.code, e.line])).toEqual([
      ['duplicate_custom_id', 3],
      ['duplicate_custom_id', 4],
    ]);
    expect(sim.ledger().total.requests).toBe(before);
  });

  it('fails a batch whose line url differs from the batch endpoint', async () => {
    const errors = await failedErrors(jsonl([lines[0], { ...lines[1], url: '/v1/completions' }]));
    expect(errors).toEqual([expect.objectContaining({ code: 'invalid_url', line: 2, param: 'url' })]);
  });

  it('reports unparseable lines, missing fields and a wrong method by line number', async () => {
    const { body: _body, ...noBody } = lines[2]!;
    const content = [
      JSON.stringify(lines[0]),
      '{not json',
      JSON.stringify(noBody),
      JSON.stringify({ ...lines[3], method: 'GET' }),
    ].join('\n');
    const errors = await failedErrors(content);
    expect(errors.map((e) => [e.code, e.line])).toEqual([
      ['invalid_json_line', 2],
      ['missing_required_parameter', 3],
      ['invalid_method', 4],
    ]);
  });

  it('fails a batch that mixes models, since OpenAI runs one model per batch', async () => {
    const mixed = [lines[0], { ...lines[1], body: scoringRequest(makeListings(2)[1]!, 'gpt-4o') }];
    const errors = await failedErrors(jsonl(mixed));
    expect(errors[0]).toMatchObject({ code: 'mismatched_model', line: 2 });
  });

  it('rejects a file of 50,001 requests and accepts one of 50,000', async () => {
    const tiny = (i: number) => `{"custom_id":"${i}","method":"POST","url":"${ENDPOINT}","body":{}}`;
    const many = (n: number) => Array.from({ length: n }, (_, i) => tiny(i)).join('\n');
    const errors = await failedErrors(many(50_001));
    expect(errors[0]).toMatchObject({ code: 'too_many_requests', line: null });

    const accepted = await createBatch(client, many(50_000));
    const running = await pollBatch(client, accepted.id, (b) => b.status !== 'validating');
    expect(running.status).toBe('in_progress');
    expect(running.request_counts?.total).toBe(50_000);
    await client.batches.cancel(accepted.id);
  });

  it('answers 400 to a bad create request and 404 to an unknown input file', async () => {
    const file = await client.files.create({
      file: await (await import('openai')).toFile(Buffer.from(jsonl(lines)), 'x.jsonl'),
      purpose: 'batch',
    });
    const base = { input_file_id: file.id, endpoint: ENDPOINT, completion_window: '24h' } as const;
    await expect(client.batches.create({ ...base, completion_window: '48h' as '24h' })).rejects.toMatchObject(
      {
        status: 400,
        param: 'completion_window',
      },
    );
    // An endpoint OpenAI batches but the simulator does not model (it serves chat and embeddings).
    await expect(client.batches.create({ ...base, endpoint: '/v1/responses' })).rejects.toMatchObject({
      status: 400,
    });
    await expect(client.batches.create({ ...base, input_file_id: 'file-nope' })).rejects.toMatchObject({
      status: 404,
    });
    await expect(client.batches.retrieve('batch_nope')).rejects.toMatchObject({ status: 404 });
  });
});

describe('batch config', () => {
  it('validates the batch section and restores the 24h window when expireAfterMs is patched to null', () => {
    expect(() => sim.configure({ batch: { lineFailureRate: 2 } })).toThrow(/batch\.lineFailureRate/);
    sim.configure({ batch: { expireAfterMs: 1000 } });
    sim.configure({ batch: { expireAfterMs: null } });
    expect(() => sim.configure({ batch: { validatingMs: 10 } })).not.toThrow();
  });
});
