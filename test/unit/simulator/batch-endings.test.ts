import type OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSimulator, SimulatorConfigPatch } from '../../../simulator';
import { createBatch, inputLines, jsonl, pollBatch, resultLines } from './batch-helpers';
import { adminURL, makeListings, scoringRequest, startTestSimulator } from './helpers';

// 100 lines take 3 s: ample room to cancel or fail mid-way even on a loaded machine.
const SLOW_LINES = { validatingMs: 0, processingMsPerLine: 30, finalizingMs: 10, cancellingMs: 50 };
const content = jsonl(inputLines(makeListings(100).map((l) => scoringRequest(l))));

const running: RunningSimulator[] = [];
async function simulator(
  batch: SimulatorConfigPatch['batch'],
): Promise<{ sim: RunningSimulator; client: OpenAI }> {
  const started = await startTestSimulator({ config: { batch } });
  running.push(started.sim);
  return started;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

async function admin(sim: RunningSimulator, id: string, action: 'expire' | 'fail') {
  const response = await fetch(adminURL(sim, `/_sim/batches/${id}/${action}`), { method: 'POST' });
  expect(response.status).toBe(200);
}

describe('batch endings', () => {
  it('expires after the configured window: finished lines in the output, the rest batch_expired', async () => {
    const { sim, client } = await simulator({ ...SLOW_LINES, processingMsPerLine: 10, expireAfterMs: 400 });
    const batch = await pollBatch(client, (await createBatch(client, content)).id);
    expect(batch.status).toBe('expired');
    expect(batch.expired_at).toBe(batch.expires_at);
    // Line k is due 10·(k+1) ms after creation; lines due before 400 ms ran: exactly 39.
    const output = await resultLines(client, batch.output_file_id);
    const errors = await resultLines(client, batch.error_file_id);
    expect(output).toHaveLength(39);
    expect(errors).toHaveLength(61);
    expect(errors.every((line) => line.response === null && line.error?.code === 'batch_expired')).toBe(true);
    const ids = new Set([...output, ...errors].map((line) => line.custom_id));
    expect(ids.size).toBe(100);
    expect(batch.request_counts).toEqual({ total: 100, completed: 39, failed: 0 });
    expect(sim.ledger().routes.batch.total.requests).toBe(39);
    expect(sim.stats().batches.lines.expired).toBe(61);
  });

  it('cancels mid-way through cancelling to cancelled, billing only the lines that ran', async () => {
    const { sim, client } = await simulator(SLOW_LINES);
    const created = await createBatch(client, content);
    await pollBatch(client, created.id, (b) => (b.request_counts?.completed ?? 0) >= 5);
    const cancelling = await client.batches.cancel(created.id);
    expect(cancelling.status).toBe('cancelling');
    expect(cancelling.cancelling_at).not.toBeNull();

    const batch = await pollBatch(client, created.id);
    expect(batch.status).toBe('cancelled');
    const output = await resultLines(client, batch.output_file_id);
    const errors = await resultLines(client, batch.error_file_id);
    const ran = batch.request_counts!.completed;
    expect(ran).toBeGreaterThanOrEqual(5);
    expect(ran).toBeLessThan(100);
    expect(output).toHaveLength(ran);
    expect(errors).toHaveLength(100 - ran);
    expect(errors.every((line) => line.error?.code === 'batch_cancelled')).toBe(true);
    expect(sim.ledger().routes.batch.total.requests).toBe(ran);
    // Nothing runs after the cancel: a later look finds the same bill.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sim.ledger().routes.batch.total.requests).toBe(ran);
    await expect(client.batches.cancel(created.id)).rejects.toMatchObject({ status: 409 });
  });

  it('lets the admin API expire or fail a running batch, and failBatchRate fail one at validation', async () => {
    const { sim, client } = await simulator(SLOW_LINES);
    const toExpire = await createBatch(client, content);
    const toFail = await createBatch(client, content);
    await pollBatch(client, toFail.id, (b) => (b.request_counts?.completed ?? 0) >= 2);
    await admin(sim, toExpire.id, 'expire');
    await admin(sim, toFail.id, 'fail');
    const expired = await pollBatch(client, toExpire.id);
    expect(expired.status).toBe('expired');
    const failed = await client.batches.retrieve(toFail.id);
    expect(failed.status).toBe('failed');
    expect(failed.errors?.data?.[0]?.code).toBe('batch_failed');
    // Lines that ran before the failure stay billed and delivered.
    expect((await resultLines(client, failed.output_file_id)).length).toBe(failed.request_counts!.completed);

    sim.configure({ batch: { failBatchRate: 1 } });
    const rejected = await pollBatch(client, (await createBatch(client, content)).id);
    expect(rejected.status).toBe('failed');
    expect(rejected.request_counts?.completed).toBe(0);
    expect(sim.stats().batches.byStatus).toMatchObject({ expired: 1, failed: 2 });
  });
});
