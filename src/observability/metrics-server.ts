import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PipelineMetrics } from './metrics';

export interface ServeMetricsOptions {
  metrics: PipelineMetrics;
  /** 0 picks a free port; read it back from `url`. */
  port: number;
  /** Defaults to loopback: metrics name models and spend, so exposing them is a deliberate choice. */
  host?: string;
  /**
   * The Temporal Runtime's own Prometheus exporter (`http://127.0.0.1:<port>/metrics`), appended
   * to every scrape so one target carries worker, poller and pipeline metrics.
   */
  temporalMetricsUrl?: string;
  /** A scrape never waits longer than this for the Temporal exporter. */
  temporalTimeoutMs?: number;
}

export interface MetricsServer {
  /** The scrape URL, `http://host:port/metrics`. */
  url: string;
  close(): Promise<void>;
}

/** Prometheus' text format; the charset is what prom-client itself declares. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Serves `GET /metrics` (the registry, plus the Temporal Runtime's metrics when configured)
 * and `GET /healthz`. Resolves once listening.
 */
export async function serveMetrics(opts: ServeMetricsOptions): Promise<MetricsServer> {
  const host = opts.host ?? '127.0.0.1';
  const temporal = opts.temporalMetricsUrl ? new URL(opts.temporalMetricsUrl) : undefined;
  if (temporal && temporal.protocol !== 'http:') {
    throw new Error(
      `temporalMetricsUrl must be http:// (the Temporal exporter has no TLS): ${temporal.href}`,
    );
  }
  const timeoutMs = opts.temporalTimeoutMs ?? 2_000;

  const server = http.createServer((req, res) => {
    void respond(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`# metrics failed: ${oneLine(err)}\n`);
    });
  });

  async function respond(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain; charset=utf-8' }).end('GET only\n');
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok\n');
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const body = await exposition(opts.metrics, temporal, timeoutMs);
    res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${urlHost(host)}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // A scraper's keep-alive connection would otherwise hold close() open until it times out.
        server.closeAllConnections();
      }),
  };
}

/** Our registry, then (when configured) an up gauge and the Temporal exporter's text, verbatim. */
async function exposition(metrics: PipelineMetrics, temporal: URL | undefined, timeoutMs: number) {
  const ours = withNewline(await metrics.text());
  if (!temporal) return ours;
  const up = `${metrics.prefix}temporal_metrics_up`;
  const gauge = (v: 0 | 1) =>
    `# HELP ${up} Whether the Temporal Runtime metrics endpoint answered this scrape\n` +
    `# TYPE ${up} gauge\n${up} ${v}\n`;
  try {
    const theirs = await fetchText(temporal, timeoutMs);
    return ours + gauge(1) + withNewline(theirs);
  } catch (err) {
    return (
      ours + `# Temporal runtime metrics unavailable from ${temporal.href}: ${oneLine(err)}\n` + gauge(0)
    );
  }
}

/**
 * node:http rather than fetch: its errors name the cause ("connect ECONNREFUSED ...") where
 * fetch says only "fetch failed", and that text is what the comment line tells the reader.
 */
function fetchText(url: URL, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`HTTP ${res.statusCode ?? '?'}`));
        return;
      }
      res.setEncoding('utf8');
      let body = '';
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

function withNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

/** Error text inside a `#` comment line: a newline would start a sample line. */
function oneLine(err: unknown): string {
  // A refused dual-stack connect is an AggregateError with an empty message but a code.
  const code = (err as { code?: unknown } | null)?.code;
  const text =
    err instanceof Error ? err.message || (typeof code === 'string' ? code : err.name) : String(err);
  return text.replace(/\s+/g, ' ').trim();
}

/** A wildcard bind address is not something to connect to; the URL names loopback instead. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
