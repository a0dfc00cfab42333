import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AesGcmCodec, createCodecServer, type JsonPayload } from '../../../src/codec';
import { toJsonPayload } from '../../../src/codec/codec-http';

const UI_ORIGIN = 'http://localhost:8080';
const AUTH = 'Bearer test-token';
const codec = new AesGcmCodec(`k1:${randomBytes(32).toString('base64')}`);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: string | null | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');

let server: Server;
let base: string;
const errors: unknown[] = [];

beforeAll(async () => {
  server = createCodecServer({
    codec,
    allowedOrigins: [UI_ORIGIN],
    authorization: AUTH,
    maxBodyBytes: 64 * 1024,
    onError: (e) => errors.push(e),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The request the Web UI sends: JSON body, X-Namespace, Authorization when it passes a token. */
function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Namespace': 'default',
      Authorization: AUTH,
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

// Exactly the shape the UI sends: proto3 JSON, so metadata values are base64 too.
const uiPayload: JsonPayload = {
  metadata: { encoding: b64('json/plain') },
  data: b64(JSON.stringify({ listingId: 'L-7', note: 'ünïcode' })),
};

describe('codec server', () => {
  it('encodes, then decodes, the JSON payloads format the Web UI sends', async () => {
    const enc = await post('/encode', { payloads: [uiPayload] });
    expect(enc.status).toBe(200);
    expect(enc.headers.get('content-type')).toBe('application/json');
    const encoded = (await enc.json()) as { payloads: JsonPayload[] };
    expect(encoded.payloads).toHaveLength(1);
    expect(unb64(encoded.payloads[0]!.metadata!.encoding)).toBe('binary/encrypted');
    expect(unb64(encoded.payloads[0]!.metadata!['encryption-key-id'])).toBe('k1');

    const dec = await post('/decode', encoded);
    expect(dec.status).toBe(200);
    expect(await dec.json()).toEqual({ payloads: [uiPayload] });
  });

  it('decodes what a worker encrypted with the same keys', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload({ costUsd: 1.25 })]);
    const res = await post('/default/decode', { payloads: [toJsonPayload(encrypted!)] });
    const { payloads } = (await res.json()) as { payloads: JsonPayload[] };
    expect(unb64(payloads[0]!.metadata!.encoding)).toBe('json/plain');
    expect(JSON.parse(unb64(payloads[0]!.data))).toEqual({ costUsd: 1.25 });
  });

  it('answers the browser preflight from the UI origin without requiring auth', async () => {
    const res = await fetch(`${base}/decode`, {
      method: 'OPTIONS',
      headers: {
        Origin: UI_ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-namespace',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/);
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('gives other origins no CORS grant', async () => {
    const res = await post('/encode', { payloads: [] }, { Origin: 'http://evil.example' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('rejects a missing or wrong Authorization header', async () => {
    expect((await post('/decode', { payloads: [] }, { Authorization: '' })).status).toBe(401);
    expect((await post('/decode', { payloads: [] }, { Authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('answers malformed requests with 400 and a readable reason', async () => {
    const notJson = await post('/decode', '{oops');
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).toMatch(/not JSON/);
    expect((await post('/decode', { nope: [] })).status).toBe(400);
    expect((await post('/decode', { payloads: [{ data: 42 }] })).status).toBe(400);
  });

  it('answers 422 for a payload encrypted with a key it does not hold', async () => {
    const stranger = new AesGcmCodec(`k9:${randomBytes(32).toString('base64')}`);
    const [foreign] = await stranger.encode([defaultPayloadConverter.toPayload('secret')]);
    const res = await post('/decode', { payloads: [toJsonPayload(foreign!)] });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/key id 'k9'/);
  });

  it('limits method, path and body size', async () => {
    expect((await fetch(`${base}/decode`)).status).toBe(405);
    expect((await post('/a/b/decode', { payloads: [] })).status).toBe(404);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const big = { payloads: [{ data: 'A'.repeat(128 * 1024) }] };
    expect((await post('/encode', big)).status).toBe(413);
    expect(errors).toEqual([]);
  });
});
