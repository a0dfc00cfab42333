import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMetrics,
  metricKey,
  parsePrometheusText,
  serveMetrics,
  type MetricsServer,
} from '../../../src/observability/metrics';

const open: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function serve(opts: Omit<Parameters<typeof serveMetrics>[0], 'port'>): Promise<MetricsServer> {
  const server = await serveMetrics({ port: 0, ...opts });
  open.push(server);
  return server;
}

/** A port nothing listens on: bind one, note it, release it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('metrics server', () => {
  it('serves the registry on GET /metrics in the Prometheus text format', async () => {
    const metrics = createMetrics();
    metrics.llmCall({
      model: 'gpt-4.1-mini',
      route: 'sync',
      outcome: 'ok',
      durationMs: 700,
      promptTokens: 900,
      cachedTokens: 0,
      completionTokens: 40,
      costUsd: 0.00019,
    });
    const server = await serve({ metrics });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE scoreline_llm_calls_total counter');
    const s = parsePrometheusText(text);
    const labels = { model: 'gpt-4.1-mini', route: 'sync', outcome: 'ok', error_type: 'none' };
    expect(s[metricKey('scoreline_llm_calls_total', labels)]).toBe(1);
    expect(s[metricKey('scoreline_llm_cost_usd_total', { model: 'gpt-4.1-mini', route: 'sync' })]).toBe(
      0.00019,
    );
    // No Temporal URL configured: no up gauge claiming anything about it.
    expect(text).not.toContain('temporal_metrics_up');
  });

  it('answers /healthz, and refuses other paths and methods', async () => {
    const server = await serve({ metrics: createMetrics() });
    const at = (path: string, init?: RequestInit) => fetch(new URL(path, server.url), init);
    const health = await at('/healthz');
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok\n');
    expect((await at('/nope')).status).toBe(404);
    expect((await at('/metrics', { method: 'POST' })).status).toBe(405);
  });

  it('appends the Temporal metrics endpoint to every scrape and reports it up', async () => {
    // Any real Prometheus endpoint stands in for the Temporal Runtime's exporter here; the
    // temporal-runtime test scrapes the real exporter.
    const upstream = createMetrics({ prefix: 'temporal_stub_' });
    upstream.breakerOpened();
    const temporal = await serve({ metrics: upstream });
    const ours = createMetrics();
    ours.budgetBlocked();
    const server = await serve({ metrics: ours, temporalMetricsUrl: temporal.url });

    const scrape = async () => parsePrometheusText(await (await fetch(server.url)).text());
    const first = await scrape();
    expect(first['scoreline_budget_blocked_total']).toBe(1);
    expect(first['temporal_stub_breaker_opened_total']).toBe(1);
    expect(first['scoreline_temporal_metrics_up']).toBe(1);

    // Each scrape fetches the upstream afresh: nothing is cached between scrapes.
    upstream.breakerOpened();
    expect((await scrape())['temporal_stub_breaker_opened_total']).toBe(2);
  });

  it('still serves our metrics, with a comment and an up gauge of 0, when Temporal is unreachable', async () => {
    const port = await closedPort();
    const metrics = createMetrics();
    metrics.breakerOpened();
    const server = await serve({ metrics, temporalMetricsUrl: `http://127.0.0.1:${port}/metrics` });

    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(
      new RegExp(
        `^# Temporal runtime metrics unavailable from http://127\\.0\\.0\\.1:${port}/metrics: .+$`,
        'm',
      ),
    );
    const s = parsePrometheusText(text);
    expect(s['scoreline_breaker_opened_total']).toBe(1);
    expect(s['scoreline_temporal_metrics_up']).toBe(0);
  });

  it('gives up on a Temporal endpoint that does not answer in time', async () => {
    // Accepts connections and never answers: the scrape must not hang with it.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const server = await serve({
        metrics: createMetrics(),
        temporalMetricsUrl: `http://127.0.0.1:${port}/metrics`,
        temporalTimeoutMs: 200,
      });
      const started = Date.now();
      const text = await (await fetch(server.url)).text();
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(text).toContain('no answer within 200 ms');
      expect(parsePrometheusText(text)['scoreline_temporal_metrics_up']).toBe(0);
    } finally {
      silent.close();
    }
  });

  it('rejects when the port is taken, rather than serving nothing', async () => {
    const first = await serve({ metrics: createMetrics() });
    const port = Number(new URL(first.url).port);
    await expect(serveMetrics({ metrics: createMetrics(), port })).rejects.toThrow(/EADDRINUSE/);
  });
});
