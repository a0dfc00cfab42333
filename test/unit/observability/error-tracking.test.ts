import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initErrorTracking } from '../../../src/observability/error-tracking';

const SECRET = 'sk-test-secret-0123456789abcdef';

/** A local stand-in for Sentry's ingest: records each envelope's items as parsed JSON. */
let server: Server;
let port = 0;
const envelopes: Array<{ path: string; items: unknown[] }> = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const lines = body.toString('utf8').split('\n').filter(Boolean);
      envelopes.push({
        path: (req.url ?? '').split('?')[0] ?? '',
        items: lines.map((l) => JSON.parse(l) as unknown),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('error tracking', () => {
  it('sends errors, dead letters and drift alarms to the DSN as envelopes, with the API key scrubbed', async () => {
    const tracker = initErrorTracking({
      dsn: `http://publickey@127.0.0.1:${port}/42`,
      component: 'worker',
      secrets: [SECRET, undefined],
    });
    expect(tracker.enabled).toBe(true);
    tracker.error(new Error(`provider said: invalid key ${SECRET}`), {
      runId: 'run-1',
      activity: 'scoreListing',
    });
    tracker.deadLetter({
      runId: 'run-1',
      listingId: 'job-7',
      reason: 'retries_exhausted',
      errorType: 'LlmServerError',
      lastError: `500 with Authorization: Bearer ${SECRET}`,
    });
    tracker.drift({
      runId: 'run-2',
      runDate: '2026-11-30',
      summary: 'PSI 0.41',
      failed: ['psi'],
      publication: 'held',
    });
    expect(await tracker.flush(5000)).toBe(true);

    expect(envelopes.map((e) => e.path)).toEqual(Array(3).fill('/api/42/envelope/'));
    const events = envelopes.flatMap((e) => e.items.filter((i) => (i as { event_id?: string }).event_id));
    const text = JSON.stringify(envelopes);
    expect(text).not.toContain(SECRET);
    expect(text).toContain('[redacted]');
    const byEvent = (name: string) =>
      events.find((e) => (e as { tags?: Record<string, string> }).tags?.event === name) as
        { tags: Record<string, string>; level: string; message?: string } | undefined;
    const exception = events.find((e) => (e as { exception?: unknown }).exception) as
      { tags: Record<string, string>; exception: { values: Array<{ value: string }> } } | undefined;
    expect(exception?.tags).toMatchObject({ component: 'worker', runId: 'run-1', activity: 'scoreListing' });
    expect(exception?.exception.values[0]?.value).toBe('provider said: invalid key [redacted]');
    expect(byEvent('dead_letter')).toMatchObject({ level: 'error', tags: { reason: 'retries_exhausted' } });
    expect(byEvent('drift_detected')).toMatchObject({
      level: 'warning',
      tags: { runId: 'run-2', publication: 'held' },
    });
  });

  it('does nothing without a DSN', async () => {
    const before = envelopes.length;
    const tracker = initErrorTracking({ dsn: undefined, component: 'cli', secrets: [SECRET] });
    expect(tracker.enabled).toBe(false);
    tracker.error(new Error('x'), {});
    expect(await tracker.flush()).toBe(true);
    expect(envelopes.length).toBe(before);
  });
});
