import { NativeConnection, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMetrics,
  metricKey,
  parsePrometheusText,
  serveMetrics,
  sumSamples,
  type MetricsServer,
} from '../../../src/observability/metrics';
// The exporter needs a concrete port (it cannot report a random one back).
import { freePort } from '../../../src/dev/free-port';

// The Runtime is process-wide and installs once; the unit tier's forks pool gives this file
// its own process, so installing it here touches no other test.
let temporalUrl: string;
let server: MetricsServer;

beforeAll(async () => {
  const port = await freePort();
  // The exact shape the worker uses (see src/worker/runtime.ts wiring in the report).
  Runtime.install({
    telemetryOptions: {
      metrics: {
        metricPrefix: 'temporal_',
        prometheus: {
          bindAddress: `127.0.0.1:${port}`,
          countersTotalSuffix: true,
          useSecondsForDurations: true,
        },
      },
    },
  });
  temporalUrl = `http://127.0.0.1:${port}/metrics`;
  const metrics = createMetrics();
  metrics.deadLetter({ reason: 'retries_exhausted', errorType: 'LlmServerError' });
  server = await serveMetrics({ metrics, port: 0, temporalMetricsUrl: temporalUrl });
});
afterAll(() => server.close());

describe('Temporal runtime metrics merge', () => {
  it('serves the real Temporal Runtime exporter next to our registry in one scrape', async () => {
    // Without a server there are no worker or poller metrics yet; a counter on the Runtime's
    // own meter goes through the same native exporter, so it proves the path end to end.
    const probe = Runtime.instance().metricMeter.createCounter('scoreline_probe_events', '', 'merge probe');
    probe.add(3, { source: 'unit-test' });

    // Twice: every scrape reads the exporter afresh.
    for (const expected of [3, 5]) {
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      const text = await res.text();
      const s = parsePrometheusText(text);
      expect(s['scoreline_temporal_metrics_up']).toBe(1);
      expect(s[metricKey('scoreline_probe_events_total', { source: 'unit-test' })]).toBe(expected);
      expect(
        s[
          metricKey('scoreline_dead_letters_total', {
            reason: 'retries_exhausted',
            error_type: 'LlmServerError',
          })
        ],
      ).toBe(1);
      expect(text).toContain('# TYPE scoreline_probe_events_total counter');
      probe.add(2, { source: 'unit-test' });
    }
  });

  it('reports the exporter down once the Runtime shuts down with its last connection', async () => {
    // The SDK shuts the Runtime (and its exporter) down when its last client or worker closes;
    // a connection that fails to connect is such a close. The worker's scrape must survive it.
    await expect(NativeConnection.connect({ address: `127.0.0.1:${await freePort()}` })).rejects.toThrow();
    const s = parsePrometheusText(await (await fetch(server.url)).text());
    expect(s['scoreline_temporal_metrics_up']).toBe(0);
    expect(s[metricKey('scoreline_probe_events_total', { source: 'unit-test' })]).toBeUndefined();
    expect(sumSamples(s, 'scoreline_dead_letters_total')).toBe(1);
  });
});
