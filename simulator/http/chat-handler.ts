import type { IncomingMessage, ServerResponse } from 'node:http';
import { isApiError } from '../chat/chat-request';
import type { SimulatorEngine } from '../engine';
import {
  insufficientQuota,
  missingApiKey,
  serverError,
  unparseableJson,
  type ApiError,
} from '../shared/errors';
import { drawTransportFault } from '../chat/faults';
import { parseJson, readBody, sendError, sendJson } from './http-util';

/** What the chat handler needs from the server around it. */
export interface TransportControls {
  /** Resolves after `ms`, or early when the simulator closes (then `closed()` is true). */
  delay(ms: number): Promise<void>;
  closed(): boolean;
  serving503(): boolean;
}

function authorized(req: IncomingMessage): boolean {
  return /^Bearer\s+\S+/.test(req.headers.authorization ?? '');
}

/**
 * POST /v1/chat/completions, in the order OpenAI applies its checks: availability, auth, body,
 * quota, rate limits, server faults, then the model. Only a 200 is billed.
 */
export async function handleChatCompletion(
  engine: SimulatorEngine,
  transport: TransportControls,
  req: IncomingMessage,
  res: ServerResponse,
  baseHeaders: Record<string, string>,
): Promise<void> {
  const started = Date.now();
  const fail = (error: ApiError, extra: Record<string, string> = {}) => {
    engine.stats.responded(error.status, error.body.error.type);
    sendError(res, error, { ...baseHeaders, ...extra, 'openai-processing-ms': String(Date.now() - started) });
  };

  if (transport.serving503()) return fail(serverError(503));
  if (!authorized(req)) return fail(missingApiKey());
  const parsed = parseJson(await readBody(req));
  if (!parsed) return fail(unparseableJson());
  const prepared = engine.prepare(parsed.value);
  if (isApiError(prepared)) return fail(prepared);

  const now = Date.now();
  const config = engine.config;
  const model = prepared.model;
  engine.stats.arrived(model, now);
  const attempt = engine.nextAttempt(prepared.bodyHash);
  const limit = config.rateLimits[model];

  if (config.insufficientQuota) {
    engine.stats.rateLimitedBy('insufficientQuota');
    return fail(insufficientQuota());
  }
  const admitted = engine.limiter.admit(model, limit, prepared.estimatedTokens, now);
  if (!admitted.ok) {
    engine.stats.rateLimitedBy(admitted.type);
    return fail(admitted.error);
  }

  const fault = drawTransportFault(config, { seed: engine.seed, bodyHash: prepared.bodyHash, attempt });
  if (fault?.kind === 'reset') {
    engine.stats.connectionsReset += 1;
    req.socket.destroy();
    return;
  }
  if (fault?.kind === 'hang') {
    // Hold the request without a byte of response, then drop it, like a stuck upstream.
    engine.stats.hangs += 1;
    await transport.delay(config.hangMs);
    req.socket.destroy();
    return;
  }
  if (fault?.kind === 'random429') {
    engine.stats.rateLimitedBy('random');
    return fail(engine.limiter.randomReject(model, limit, now));
  }
  if (fault?.kind === 'http') return fail(serverError(fault.status), admitted.headers);

  const outcome = engine.generate(prepared, attempt, now);
  await transport.delay(engine.latencyMs(prepared, attempt));
  if (transport.closed() || res.destroyed) return;
  engine.ledger.bill(model, outcome.usage);
  engine.stats.responded(200);
  sendJson(res, 200, outcome.completion, {
    ...baseHeaders,
    ...admitted.headers,
    'openai-processing-ms': String(Date.now() - started),
  });
}
