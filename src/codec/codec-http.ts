import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { PayloadDecryptionError } from './aes-gcm-codec';
import { CodecKeyError } from './keys';

/**
 * The Codec Server protocol the Temporal Web UI and CLI speak: `POST /encode` and
 * `POST /decode` with a proto3-JSON body `{"payloads":[{"metadata":{"encoding":"<base64>"},
 * "data":"<base64>"}]}` (every bytes field, metadata values included, is base64), answered in
 * the same shape. The UI adds `X-Namespace`, and `Authorization` when told to pass its token.
 */
export interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Browser origins allowed to call (the Web UI's, e.g. `http://localhost:8080`); `*` allows any. */
  allowedOrigins: readonly string[];
  /** When set, every POST must carry exactly this `Authorization` header value. */
  authorization?: string | undefined;
  /** Largest request body accepted; the UI sends a page of history payloads at once. */
  maxBodyBytes?: number;
  /** Where failures are reported; the response only says what the caller can act on. */
  onError?: (err: unknown) => void;
}

const ROUTE = /^\/(?:[^/]+\/)?(encode|decode)\/?$/; // `/{namespace}/decode` too, for CLI endpoint templates
const DEFAULT_MAX_BODY = 16 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function fromJsonPayload(p: JsonPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = Buffer.from(v, 'base64');
  return { metadata, data: p.data ? Buffer.from(p.data, 'base64') : new Uint8Array() };
}

export function toJsonPayload(p: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = Buffer.from(v).toString('base64');
  return { metadata, data: Buffer.from(p.data ?? new Uint8Array()).toString('base64') };
}

function parseBody(text: string): JsonPayload[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'request body is not JSON');
  }
  const payloads = (body as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(payloads)) throw new HttpError(400, 'request body needs a "payloads" array');
  for (const p of payloads as unknown[]) {
    const ok =
      typeof p === 'object' &&
      p !== null &&
      ['metadata', 'data'].every((k) => {
        const v = (p as Record<string, unknown>)[k];
        if (v === undefined || v === null) return true;
        if (k === 'data') return typeof v === 'string';
        return typeof v === 'object' && Object.values(v).every((m) => typeof m === 'string');
      });
    if (!ok) throw new HttpError(400, 'each payload must be {"metadata": {key: base64}, "data": base64}');
  }
  return payloads as JsonPayload[];
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `request body exceeds ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * CORS for the Web UI: the browser preflights because of the JSON content type and the
 * `X-Namespace` header. Origins are echoed (never `*` with credentials) so the UI's
 * "include cross-origin credentials" setting also works.
 */
function applyCors(req: IncomingMessage, res: ServerResponse, allowed: readonly string[]): void {
  const origin = req.headers.origin;
  res.setHeader('Vary', 'Origin');
  if (!origin || !(allowed.includes('*') || allowed.includes(origin))) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
  res.setHeader('Access-Control-Max-Age', '600');
}

// Errors are plain text on purpose: older UIs parse any response as JSON payloads, and a
// non-JSON body makes them fall back to showing the raw payloads instead of garbage.
function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
}

async function handle(req: IncomingMessage, res: ServerResponse, o: CodecServerOptions): Promise<void> {
  applyCors(req, res, o.allowedOrigins);
  const route = ROUTE.exec(new URL(req.url ?? '/', 'http://codec').pathname)?.[1];
  if (req.method === 'GET' && req.url === '/healthz') return sendText(res, 200, 'ok');
  if (!route) return sendText(res, 404, 'not found: use POST /encode or POST /decode');
  // Preflights carry no Authorization header, so they are answered before the auth check.
  if (req.method === 'OPTIONS') return void res.writeHead(204).end();
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST, OPTIONS');
    return sendText(res, 405, 'method not allowed: use POST');
  }
  if (o.authorization !== undefined && !sameSecret(req.headers.authorization, o.authorization)) {
    return sendText(res, 401, 'missing or wrong Authorization header');
  }
  const payloads = parseBody(await readBody(req, o.maxBodyBytes ?? DEFAULT_MAX_BODY)).map(fromJsonPayload);
  let out: Payload[];
  try {
    out = route === 'encode' ? await o.codec.encode(payloads) : await o.codec.decode(payloads);
  } catch (err) {
    if (err instanceof CodecKeyError || err instanceof PayloadDecryptionError) {
      throw new HttpError(422, err.message);
    }
    throw err;
  }
  res
    .writeHead(200, { 'Content-Type': 'application/json' })
    .end(JSON.stringify({ payloads: out.map(toJsonPayload) }));
}

/** An HTTP server for the Codec Server protocol; call `listen` on it. */
export function createCodecServer(options: CodecServerOptions): Server {
  return createServer((req, res) => {
    handle(req, res, options).catch((err: unknown) => {
      if (err instanceof HttpError) return sendText(res, err.status, err.message);
      options.onError?.(err);
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    });
  });
}
