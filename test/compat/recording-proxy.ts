import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One exchange as it crossed the wire between the worker and the server. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  /** How the request asked for structure: forced tools, a json_schema response_format, or neither. */
  mode: 'tools' | 'json_schema' | 'none';
  /** The response's `usage`, when its body was JSON that had one. */
  usage?: Usage;
  /** A downloaded batch output file: the usage of each of its answered lines. */
  lineUsages?: Usage[];
}

export interface Usage {
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
}

export interface RecordingProxy {
  /** e.g. http://127.0.0.1:PORT — append /v1 for the SDK. */
  url: string;
  exchanges: Exchange[];
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy that writes down what the server said, so a test can compare the
 * pipeline's own records with the server's word instead of trusting either side alone. It
 * changes nothing in either direction except asking for an uncompressed answer.
 */
export async function startRecordingProxy(upstream: string): Promise<RecordingProxy> {
  const target = new URL(upstream);
  const exchanges: Exchange[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers: IncomingHttpHeaders = { ...req.headers, host: target.host };
      delete headers['accept-encoding'];
      const up = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
        (upRes) => {
          const parts: Buffer[] = [];
          upRes.on('data', (c: Buffer) => parts.push(c));
          upRes.on('end', () => {
            const answer = Buffer.concat(parts);
            exchanges.push({
              method: req.method ?? 'GET',
              path: (req.url ?? '/').split('?')[0] ?? '/',
              status: upRes.statusCode ?? 0,
              mode: requestMode(body),
              usage: usageOf(answer),
              lineUsages: /\/files\/[^/]+\/content$/.test(req.url ?? '') ? lineUsagesOf(answer) : undefined,
            });
            const out = { ...upRes.headers };
            delete out['transfer-encoding'];
            out['content-length'] = String(answer.length);
            res.writeHead(upRes.statusCode ?? 502, out);
            res.end(answer);
          });
          upRes.on('error', () => res.destroy());
        },
      );
      // A dropped upstream connection is passed on as one: the client sees what it would have.
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function requestMode(body: Buffer): Exchange['mode'] {
  try {
    const json = JSON.parse(body.toString('utf8')) as {
      tool_choice?: unknown;
      response_format?: { type?: string };
    };
    if (json.tool_choice) return 'tools';
    if (json.response_format?.type === 'json_schema') return 'json_schema';
  } catch {
    // not JSON (a GET, an upload): no mode
  }
  return 'none';
}

interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number };
}

function toUsage(u: WireUsage): Usage {
  return {
    promptTokens: u.prompt_tokens ?? 0,
    cachedTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
    completionTokens: u.completion_tokens ?? 0,
  };
}

function usageOf(body: Buffer): Usage | undefined {
  try {
    const json = JSON.parse(body.toString('utf8')) as { usage?: WireUsage };
    return json.usage ? toUsage(json.usage) : undefined;
  } catch {
    return undefined; // a malformed body (aimock's chaos) carries no usage anyone could bill
  }
}

/** Batch output is JSONL: each answered line carries its own response body and usage. */
function lineUsagesOf(body: Buffer): Usage[] | undefined {
  const usages: Usage[] = [];
  for (const line of body.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed = JSON.parse(line) as {
        response?: { status_code?: number; body?: { usage?: WireUsage } };
      };
      const usage = parsed.response?.body?.usage;
      if (parsed.response?.status_code === 200 && usage) usages.push(toUsage(usage));
    } catch {
      return undefined; // a malformed file: the collector retries and downloads it again
    }
  }
  return usages;
}
