import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepAliveFetch } from '../../../src/llm/keep-alive-fetch';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  socket: number;
}

describe('keepAliveFetch', () => {
  const seen: Seen[] = [];
  const sockets = new WeakMap<object, number>();
  let nextSocket = 0;
  let base = '';
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, nextSocket++);
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        socket: sockets.get(req.socket) ?? -1,
      });
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2_000);
      if (req.url === '/empty') return void res.writeHead(204).end();
      res.writeHead(req.url === '/missing' ? 404 : 200, 'Fine', {
        'content-type': 'application/json',
        'x-ratelimit-remaining-tokens': '99',
      });
      res.end(JSON.stringify({ echo: body, method: req.method }));
    });
  });

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends the method, headers and body and returns status, headers and body as a Response', async () => {
    const fetch = keepAliveFetch();
    const res = await fetch(`${base}/v1/chat`, {
      method: 'POST',
      headers: new Headers({ authorization: 'Bearer k', 'content-type': 'application/json' }),
      body: '{"a":1}',
    });
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(200);
    expect(res.statusText).toBe('Fine');
    expect(res.headers.get('x-ratelimit-remaining-tokens')).toBe('99');
    expect(await res.json()).toEqual({ echo: '{"a":1}', method: 'POST' });
    const last = seen.at(-1) as Seen;
    expect(last.headers.authorization).toBe('Bearer k');
    expect(last.url).toBe('/v1/chat');
  });

  it('reuses one connection for calls made one after another', async () => {
    const fetch = keepAliveFetch();
    const from = seen.length;
    for (let i = 0; i < 3; i++) await (await fetch(`${base}/x`, { method: 'POST', body: 'b' })).text();
    expect(new Set(seen.slice(from).map((s) => s.socket)).size).toBe(1);
  });

  it('gives an error status to the caller instead of throwing, and a null body for 204', async () => {
    const fetch = keepAliveFetch();
    expect((await fetch(`${base}/missing`, { method: 'POST', body: '' })).status).toBe(404);
    const empty = await fetch(`${base}/empty`, { method: 'POST', body: '' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
  });

  it('rejects with an AbortError when the signal aborts mid-request, and at once when already aborted', async () => {
    const fetch = keepAliveFetch();
    const ac = new AbortController();
    const pending = fetch(`${base}/slow`, { method: 'POST', body: '', signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(
      fetch(`${base}/x`, { method: 'POST', body: '', signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects like undici when nothing listens: a TypeError whose cause names the refusal', async () => {
    const fetch = keepAliveFetch();
    const err = (await fetch('http://127.0.0.1:1/', { method: 'POST', body: '' }).catch(
      (e: unknown) => e,
    )) as TypeError & { cause?: { code?: string } };
    expect(err).toBeInstanceOf(TypeError);
    expect(err.cause?.code).toBe('ECONNREFUSED');
  });

  it('hands GETs, form bodies and Request objects to the fallback fetch untouched', async () => {
    const calls: unknown[] = [];
    const fallback = (input: string | URL | Request, init?: RequestInit) => {
      calls.push([input, init?.body]);
      return Promise.resolve(new Response('fallback'));
    };
    const fetch = keepAliveFetch(fallback);
    const form = new FormData();
    form.append('purpose', 'batch');
    await fetch(`${base}/files`, { method: 'POST', body: form });
    await fetch(new Request(`${base}/r`));
    await fetch(`${base}/files/f1/content`);
    expect(calls).toHaveLength(3);
  });

  it('lets the openai SDK read an answer and classify a refused connection as APIConnectionError', async () => {
    const client = new OpenAI({ apiKey: 'k', baseURL: `${base}/v1`, maxRetries: 0, fetch: keepAliveFetch() });
    const answer = await client.post<{ echo: string; method: string }>('/chat', { body: { q: 1 } });
    expect(answer).toEqual({ echo: '{"q":1}', method: 'POST' });
    const down = new OpenAI({
      apiKey: 'k',
      baseURL: 'http://127.0.0.1:1/v1',
      maxRetries: 0,
      fetch: keepAliveFetch(),
    });
    await expect(down.post('/chat', { body: {} })).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('lets the openai SDK time out a slow answer as APIConnectionTimeoutError', async () => {
    const client = new OpenAI({
      apiKey: 'k',
      baseURL: base,
      maxRetries: 0,
      timeout: 100,
      fetch: keepAliveFetch(),
    });
    await expect(client.post('/slow', { body: {} })).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });
});
