import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimulatorEngine } from '../engine';
import { apiError, invalidRequest, notFoundRoute, type ApiError } from '../shared/errors';
import { UPLOAD_PURPOSES, type FilePurpose } from '../files/file-store';
import { readRawBody } from './http-util';
import { isApiError } from '../chat/chat-request';
import { cursorPage } from './list-page';
import { MAX_BATCH_INPUT_BYTES } from '../batch/batch-input';
import { multipartBoundary, MultipartError, parseMultipart } from './multipart';

/** OpenAI's per-file ceiling; the store's own budget (config `files.maxTotalBytes`) may be lower. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;
/** Room for the multipart framing and the `purpose` field around the file itself. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/** How a v1 handler answers: `ok` sends JSON with the API headers, `fail` the error envelope. */
export interface V1Exchange {
  engine: SimulatorEngine;
  req: IncomingMessage;
  res: ServerResponse;
  headers: Record<string, string>;
  query: URLSearchParams;
  ok(body: unknown): void;
  fail(error: ApiError): void;
}

const noSuchFile = (id: string) => apiError(404, `No such File object: ${id}`, 'invalid_request_error', 'id');

/**
 * The Files API: POST /v1/files (multipart upload), GET /v1/files, GET /v1/files/:id,
 * GET /v1/files/:id/content and DELETE /v1/files/:id.
 */
export async function handleFiles(x: V1Exchange, method: string, path: string): Promise<void> {
  const [, id, sub, ...rest] = path.slice('/v1'.length).split('/').slice(1);
  const fileId = id === undefined ? undefined : decodeURIComponent(id);
  const files = x.engine.files;
  if (fileId === undefined) {
    if (method === 'POST') return upload(x);
    if (method === 'GET') {
      const order = x.query.get('order') ?? 'desc';
      if (order !== 'asc' && order !== 'desc') return x.fail(invalidRequest("Invalid 'order'.", 'order'));
      const page = cursorPage(files.list(x.query.get('purpose'), order), x.query, {
        default: 10_000,
        max: 10_000,
      });
      return isApiError(page) ? x.fail(page) : x.ok(page);
    }
  } else if (sub === undefined && rest.length === 0) {
    if (method === 'GET') {
      const file = files.get(fileId);
      return file ? x.ok(file) : x.fail(noSuchFile(fileId));
    }
    if (method === 'DELETE')
      return files.delete(fileId)
        ? x.ok({ id: fileId, object: 'file', deleted: true })
        : x.fail(noSuchFile(fileId));
  } else if (sub === 'content' && rest.length === 0 && method === 'GET') {
    const content = files.content(fileId);
    if (!content) return x.fail(noSuchFile(fileId));
    x.engine.stats.responded(200);
    x.res.writeHead(200, {
      ...x.headers,
      'content-type': 'application/octet-stream',
      'content-length': content.length,
    });
    x.res.end(content);
    return;
  }
  x.fail(notFoundRoute(method, path));
}

async function upload(x: V1Exchange): Promise<void> {
  const boundary = multipartBoundary(x.req.headers['content-type']);
  if (!boundary)
    return x.fail(
      invalidRequest('Invalid Content-Type: uploads must be multipart/form-data with a boundary.'),
    );
  const budget = x.engine.config.files.maxTotalBytes;
  // Past this the body cannot fit whatever it holds. A declared length is refused before a byte
  // is read, so the client gets a real 413 instead of a reset; a lying sender is cut off mid-way.
  const maxBody = Math.min(budget, MAX_FILE_BYTES) + FORM_OVERHEAD_BYTES;
  if (Number(x.req.headers['content-length'] ?? 0) > maxBody) {
    x.res.once('finish', () => x.req.destroy());
    return x.fail(
      apiError(
        413,
        `The upload exceeds the ${maxBody - FORM_OVERHEAD_BYTES} byte limit.`,
        'invalid_request_error',
      ),
    );
  }
  const body = await readRawBody(x.req, maxBody);
  let parts;
  try {
    parts = parseMultipart(body, boundary);
  } catch (err) {
    if (!(err instanceof MultipartError)) throw err;
    return x.fail(invalidRequest(`Could not parse the multipart form: ${err.message}.`));
  }
  const filePart = parts.find((p) => p.name === 'file' && p.filename !== undefined);
  const purpose = parts.find((p) => p.name === 'purpose' && p.filename === undefined)?.data.toString('utf8');
  if (!filePart) return x.fail(invalidRequest("Missing required parameter: 'file'.", 'file'));
  if (purpose === undefined)
    return x.fail(invalidRequest("Missing required parameter: 'purpose'.", 'purpose'));
  if (!(UPLOAD_PURPOSES as readonly string[]).includes(purpose))
    return x.fail(
      invalidRequest(`Invalid 'purpose': expected one of ${UPLOAD_PURPOSES.join(', ')}.`, 'purpose'),
    );
  const bytes = filePart.data.length;
  if (bytes > MAX_FILE_BYTES || (purpose === 'batch' && bytes > MAX_BATCH_INPUT_BYTES))
    return x.fail(invalidRequest(`File is too large: ${bytes} bytes.`, 'file'));
  // Copy out of the request buffer so the multipart framing is not kept alive with the file.
  const content = Buffer.from(filePart.data);
  const stored = x.engine.files.add(
    content,
    filePart.filename ?? 'file',
    purpose as FilePurpose,
    Date.now(),
    {
      maxTotalBytes: budget,
    },
  );
  if (!stored)
    return x.fail(
      invalidRequest(
        `Storage limit reached: ${x.engine.files.usedBytes} of ${budget} bytes in use; delete files first.`,
        'file',
      ),
    );
  x.ok(stored);
}
