import type { IncomingMessage, ServerResponse } from 'node:http';
import { isApiError } from '../chat/chat-request';
import { embeddingResponse, parseEmbeddingRequest } from '../embeddings/embeddings';
import type { SimulatorEngine } from '../engine';
import {
  insufficientQuota,
  missingApiKey,
  serverError,
  unparseableJson,
  type ApiError,
} from '../shared/errors';
import { parseJson, readBody, sendError, sendJson } from './http-util';

/**
 * POST /v1/embeddings: availability, auth, body, quota, then the vectors. Only a 200 is billed,
 * on the ledger's sync route. Chat rate limits and faults do not apply: the pipeline's
 * embedding step is a handful of large requests, not the load those exist to test.
 */
export async function handleEmbeddings(
  engine: SimulatorEngine,
  serving503: boolean,
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  const fail = (error: ApiError) => {
    engine.stats.responded(error.status, error.body.error.type);
    sendError(res, error, headers);
  };
  if (serving503) return fail(serverError(503));
  if (!/^Bearer\s+\S+/.test(req.headers.authorization ?? '')) return fail(missingApiKey());
  const parsed = parseJson(await readBody(req));
  if (!parsed) return fail(unparseableJson());
  const request = parseEmbeddingRequest(parsed.value);
  if (isApiError(request)) return fail(request);
  if (engine.config.insufficientQuota) return fail(insufficientQuota());
  const { body, promptTokens } = embeddingResponse(request);
  engine.ledger.billEmbedding(request.model, promptTokens);
  engine.stats.responded(200);
  sendJson(res, 200, body, headers);
}
