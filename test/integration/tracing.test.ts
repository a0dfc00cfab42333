import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { initTracing, type Tracing } from '../../src/observability/tracing';
import { dailyScoringRun } from '../../src/workflows';
import { feedRun, Harness } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;
let receiver: Server | undefined;
let tracing: Tracing | undefined;

afterEach(async () => {
  await tracing?.shutdown();
  await harness?.stop();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  harness = tracing = receiver = undefined;
});

interface OtlpSpan {
  name: string;
  traceId: string;
  attributes: Array<{
    key: string;
    value: { stringValue?: string; intValue?: string | number; doubleValue?: number };
  }>;
}

/** A local OTLP/HTTP receiver: the JSON export requests, flattened to spans. */
async function startReceiver(): Promise<{ url: string; spans: OtlpSpan[]; paths: string[] }> {
  const spans: OtlpSpan[] = [];
  const paths: string[] = [];
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      paths.push(req.url ?? '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
      };
      for (const r of body.resourceSpans) for (const s of r.scopeSpans) spans.push(...s.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`, spans, paths };
}

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v?.stringValue ?? (v?.intValue === undefined ? v?.doubleValue : Number(v.intValue));
};

describe('tracing', () => {
  it('exports workflow, activity and LLM-call spans with model, tokens and cost over OTLP/HTTP', async () => {
    const otlp = await startReceiver();
    const t = initTracing(otlp.url, 'scoreline-test');
    if (!t) throw new Error('tracing did not start with an endpoint');
    tracing = t;
    harness = await new Harness({ address, simulator: { latencyScale: 0 } }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 6 });
    const summary = await h.withWorkers(
      () =>
        h.client.workflow.execute(dailyScoringRun, {
          taskQueue: h.taskQueue,
          workflowId: h.workflowId('traced'),
          args: [feedRun(feedPath, { route: 'sync' })],
        }),
      [t.plugin],
    );
    await t.shutdown();
    expect(otlp.paths.every((p) => p === '/v1/traces')).toBe(true);
    const names = new Set(otlp.spans.map((s) => s.name));
    expect([...names].some((n) => n.startsWith('RunWorkflow:dailyScoringRun'))).toBe(true);
    expect([...names].some((n) => n.startsWith('RunActivity:scoreListing'))).toBe(true);
    const calls = otlp.spans.filter((s) => s.name === 'llm_call');
    const rows = await h.store.listCalls({ runId: summary.runId });
    expect(calls).toHaveLength(rows.length);
    const cost = calls.reduce((s, c) => s + Number(attr(c, 'scoreline.cost_usd')), 0);
    expect(cost).toBeCloseTo(summary.costUsd, 9);
    const first = calls[0]!;
    expect(rows.map((r) => r.model)).toContain(attr(first, 'gen_ai.request.model'));
    expect(Number(attr(first, 'gen_ai.usage.input_tokens'))).toBeGreaterThan(0);
    // A call span belongs to its activity's trace, which is the run's.
    const activity = otlp.spans.find((s) => s.name.startsWith('RunActivity:scoreListing'));
    expect(otlp.spans.filter((s) => s.traceId === activity?.traceId).length).toBeGreaterThan(2);
  });
});
