import type OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSimulator, SimulatorConfigPatch } from '../../../simulator';
import { createBatch, inputLines, jsonl, pollBatch, resultLines } from './batch-helpers';
import { makeListings, scoringRequest, startTestSimulator, toolArguments } from './helpers';

const FAST: SimulatorConfigPatch = {
  batch: { validatingMs: 20, processingMsPerLine: 1, finalizingMs: 20, cancellingMs: 20 },
};

const running: RunningSimulator[] = [];
async function simulator(
  config: SimulatorConfigPatch = FAST,
): Promise<{ sim: RunningSimulator; client: OpenAI }> {
  const started = await startTestSimulator({ seed: 7, config: { ...config, latencyScale: 0 } });
  running.push(started.sim);
  return started;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

describe('batch lifecycle', () => {
  it('runs a batch to completed and returns every line once, out of order, at half the synchronous price', async () => {
    const { sim, client } = await simulator();
    const bodies = makeListings(200).map((l) => scoringRequest(l));
    const sent = inputLines(bodies);
    const created = await createBatch(client, jsonl(sent), { run: 'unit' });
    expect(created).toMatchObject({
      object: 'batch',
      status: 'validating',
      endpoint: '/v1/chat/completions',
    });
    expect(created.metadata).toEqual({ run: 'unit' });

    const seen: string[] = [created.status];
    const done = await pollBatch(client, created.id, undefined, seen);
    expect(done.status).toBe('completed');
    expect(seen[0]).toBe('validating');
    expect(seen).toContain('in_progress');
    expect(done.request_counts).toEqual({ total: 200, completed: 200, failed: 0 });
    for (const field of ['in_progress_at', 'finalizing_at', 'completed_at'] as const)
      expect(done[field]).toBeGreaterThanOrEqual(done.created_at);
    expect(done.error_file_id).toBeNull();

    const output = await resultLines(client, done.output_file_id);
    const ids = output.map((line) => line.custom_id);
    expect(new Set(ids)).toEqual(new Set(sent.map((line) => line.custom_id)));
    expect(ids).toHaveLength(200);
    expect(ids).not.toEqual(sent.map((line) => line.custom_id));
    expect(output[0]!.id).toMatch(/^batch_req_/);

    // The same requests, sent synchronously to a twin with the same seed, give the same answers.
    const twin = await simulator();
    const byId = new Map(output.map((line) => [line.custom_id, line]));
    const sync = await Promise.all(bodies.map((body) => twin.client.chat.completions.create(body)));
    sync.forEach((completion, i) => {
      const line = byId.get(`req-${i}`)!;
      expect(line.error).toBeNull();
      expect(line.response!.status_code).toBe(200);
      const body = line.response!.body as unknown as OpenAI.Chat.Completions.ChatCompletion;
      expect(body.object).toBe('chat.completion');
      expect(toolArguments(body)).toBe(toolArguments(completion));
    });

    const batchLedger = sim.ledger();
    const syncLedger = twin.sim.ledger();
    expect(batchLedger.routes.batch.total.requests).toBe(200);
    expect(batchLedger.routes.sync.total.requests).toBe(0);
    expect(batchLedger.total).toEqual(batchLedger.routes.batch.total);
    expect(batchLedger.total.promptTokens).toBe(syncLedger.total.promptTokens);
    // gpt-4o-mini prices are even in nano-USD per token, so halving is exact.
    expect(batchLedger.total.nanoUsd * 2).toBe(syncLedger.routes.sync.total.nanoUsd);
    expect(done.usage?.input_tokens).toBe(syncLedger.total.promptTokens);

    const listed = await client.batches.list();
    expect(listed.data.map((b) => b.id)).toContain(created.id);
    const stats = sim.stats().batches;
    expect(stats.byStatus.completed).toBe(1);
    expect(stats.linesProcessed).toBe(200);
  });

  it('replays the same output order and answers for the same seed and timing', async () => {
    const content = jsonl(inputLines(makeListings(30).map((l) => scoringRequest(l))));
    const orders = [];
    for (let run = 0; run < 2; run++) {
      const { client } = await simulator();
      const batch = await pollBatch(client, (await createBatch(client, content)).id);
      const lines = await resultLines(client, batch.output_file_id);
      orders.push(lines.map((line) => [line.custom_id, toolArguments(line.response!.body as never)]));
    }
    expect(orders[0]).toEqual(orders[1]);
  });

  it('puts failed lines in the error file with their HTTP status and does not bill them', async () => {
    const { sim, client } = await simulator({ batch: { ...FAST.batch, lineFailureRate: 0.3 } });
    const bodies = makeListings(60).map((l) => scoringRequest(l));
    const lines = [
      ...inputLines(bodies),
      {
        custom_id: 'bad-body',
        method: 'POST',
        url: '/v1/chat/completions',
        body: { ...bodies[0], messages: [] },
      },
    ];
    const done = await pollBatch(client, (await createBatch(client, jsonl(lines))).id);
    expect(done.status).toBe('completed');
    const output = await resultLines(client, done.output_file_id);
    const errors = await resultLines(client, done.error_file_id);
    expect(errors.length).toBeGreaterThan(5);
    expect(done.request_counts).toEqual({ total: 61, completed: output.length, failed: errors.length });
    expect(output.length + errors.length).toBe(61);
    for (const line of errors) {
      expect(line.response!.status_code).toBeGreaterThanOrEqual(400);
      expect(line.response!.body).toHaveProperty('error.message');
    }
    expect(errors.find((line) => line.custom_id === 'bad-body')?.response?.status_code).toBe(400);
    expect(sim.ledger().routes.batch.total.requests).toBe(output.length);
  });
});
