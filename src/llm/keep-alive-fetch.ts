import http from 'node:http';
import https from 'node:https';

/** What the openai SDK calls its `fetch` with: a URL string and a plain RequestInit. */
type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A `fetch` for the openai SDK over node:http's keep-alive agents. Node's built-in fetch
 * (undici behind WHATWG streams, a Request object, an AbortSignal chain and a body mixin per
 * call) cost about a millisecond of worker CPU per LLM call in the overhead bench's profile,
 * as much as our own store work; this sends the same request with the SDK's headers and body
 * and hands back a real `Response`. It takes only requests with a string body (the JSON calls:
 * chat completions, embeddings, batch creation), whose answers are small enough to buffer;
 * everything else (a Request object, a GET such as a batch output download that may be large,
 * a form upload) goes to `fallback` unchanged, so every path the SDK has keeps working.
 *
 * It does not ask for compressed responses (no Accept-Encoding): an answer is a few hundred
 * bytes, and inflating costs more CPU than the bytes cost time.
 */
export function keepAliveFetch(fallback: FetchLike = globalThis.fetch): FetchLike {
  const agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };
  return (input, init) => {
    const body = init?.body;
    if (input instanceof Request || typeof body !== 'string') return fallback(input, init);
    const url = typeof input === 'string' ? new URL(input) : input;
    const agent = url.protocol === 'http:' || url.protocol === 'https:' ? agents[url.protocol] : undefined;
    if (!agent) return fallback(input, init);
    return exchange(url, agent, init ?? {}, body);
  };
}

function exchange(url: URL, agent: http.Agent, init: RequestInit, body: string): Promise<Response> {
  const signal = init.signal ?? undefined;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const send = url.protocol === 'https:' ? https.request : http.request;
    const req = send(
      url,
      { method: init.method ?? 'GET', headers: plainHeaders(init.headers), agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          signal?.removeEventListener('abort', onAbort);
          const status = res.statusCode ?? 0;
          const nullBody = status === 204 || status === 205 || status === 304 || init.method === 'HEAD';
          resolve(
            new Response(nullBody ? null : Buffer.concat(chunks), {
              status,
              statusText: res.statusMessage ?? '',
              headers: pairs(res.rawHeaders),
            }),
          );
        });
      },
    );
    function fail(err: Error): void {
      signal?.removeEventListener('abort', onAbort);
      // The shape undici gives, which the SDK and classifyLlmError read: a TypeError with the cause.
      reject(err.name === 'AbortError' ? err : new TypeError('fetch failed', { cause: err }));
    }
    function onAbort(): void {
      req.destroy(abortError(signal as AbortSignal));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', fail);
    req.end(body);
  });
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name === 'AbortError'
    ? reason
    : new DOMException('This operation was aborted', 'AbortError');
}

/** Whatever form the SDK gave its headers in (it builds a Headers), as node:http takes them. */
function plainHeaders(h: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  // new Headers() accepts every HeadersInit form and lower-cases the names, as fetch would send them.
  for (const [k, v] of (h instanceof Headers ? h : new Headers(h)).entries()) out[k] = v;
  return out;
}

function pairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}
