import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleBatches } from './batches-handler';
import { handleChatCompletion, type TransportControls } from './chat-handler';
import { handleEmbeddings } from './embeddings-handler';
import { ConfigError } from '../shared/config';
import type { SimulatorEngine } from '../engine';
import { apiError, missingApiKey, notFoundRoute, type ApiError } from '../shared/errors';
import { handleFiles, type V1Exchange } from './files-handler';
import { BodyTooLarge, parseJson, readBody, requestId, sendError, sendJson } from './http-util';
import { KNOWN_MODELS, modelFacts, resolveModel } from '../shared/models';
import { OutageController } from './outage';

function touchesOutage(patch: unknown): boolean {
  return typeof patch === 'object' && patch !== null && 'outage' in patch;
}

/**
 * The HTTP face of the simulator: routing, the admin API, and the listener itself, which a
 * "refuse" outage really closes and later reopens on the same port.
 */
export class SimulatorServer implements TransportControls {
  private server: Server | undefined;
  private port = 0;
  private isClosed = false;
  private readonly waits = new Map<NodeJS.Timeout, () => void>();
  readonly outage: OutageController;

  constructor(
    private readonly engine: SimulatorEngine,
    private readonly host: string,
  ) {
    this.outage = new OutageController({
      refuse: () => void this.stopListening(),
      restore: () => this.restoreListening(),
      ended: () => {
        this.engine.config = { ...this.engine.config, outage: null };
      },
    });
  }

  async listen(port: number): Promise<number> {
    this.port = await this.openListener(port);
    return this.port;
  }

  /** Applies a config patch; an `outage` key starts (or, with null, ends) an outage now. */
  configure(patch: unknown): void {
    this.engine.configure(patch);
    if (touchesOutage(patch)) this.applyOutage();
  }

  private applyOutage(): void {
    const outage = this.engine.config.outage;
    if (outage) this.outage.start(outage.mode, outage.durationMs);
    else this.outage.end(Date.now(), false);
  }

  delay(ms: number): Promise<void> {
    if (ms <= 0 || this.isClosed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waits.delete(timer);
        resolve();
      }, ms);
      this.waits.set(timer, resolve);
    });
  }

  /** Stats with the batches brought up to date first. */
  statsSnapshot() {
    return this.engine.stats.snapshot(this.outage.snapshot(), this.engine.batches.stats(Date.now()));
  }

  closed(): boolean {
    return this.isClosed;
  }

  serving503(): boolean {
    return this.outage.serving503();
  }

  async close(): Promise<void> {
    this.isClosed = true;
    this.outage.dispose();
    this.engine.batches.dispose();
    for (const [timer, resolve] of this.waits) {
      clearTimeout(timer);
      resolve();
    }
    this.waits.clear();
    await this.stopListening();
  }

  private openListener(port: number): Promise<number> {
    const server = createServer((req, res) => void this.route(req, res));
    // Keep-alive sockets from the SDK would otherwise hold close() open for seconds.
    server.keepAliveTimeout = 5_000;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        this.server = server;
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  private stopListening(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async restoreListening(): Promise<void> {
    if (this.isClosed || this.server) return;
    try {
      await this.openListener(this.port);
    } catch (err) {
      // The port was taken while we were away; nothing can serve the simulator any more.
      process.emitWarning(`simulator could not re-listen on port ${this.port}: ${String(err)}`);
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    const headers = {
      'x-request-id': requestId(),
      'openai-version': '2020-10-01',
      'openai-organization': 'org-simulator',
    };
    // Admin traffic is the test harness talking, not API load: it stays out of the stats.
    const isAdmin = path.startsWith('/_sim/');
    const stats = this.engine.stats;
    if (!isAdmin) {
      stats.totalRequests += 1;
      stats.inFlight += 1;
      res.on('close', () => {
        stats.inFlight -= 1;
      });
    }
    try {
      if (isAdmin) return await this.admin(method, path, req, res);
      if (method === 'POST' && path === '/v1/chat/completions') {
        return await handleChatCompletion(this.engine, this, req, res, headers);
      }
      if (method === 'POST' && path === '/v1/embeddings') {
        return await handleEmbeddings(this.engine, this.outage.serving503(), req, res, headers);
      }
      if (method === 'GET' && (path === '/v1/models' || path.startsWith('/v1/models/'))) {
        return this.models(path, req, res, headers);
      }
      const api = /^\/v1\/(files|batches)(\/|$)/.exec(path)?.[1];
      if (api && !this.engine.config.batchApi) return this.fail(res, notFoundRoute(method, path), headers);
      if (api) return await this.filesAndBatches(api, method, path, req, res, headers);
      this.fail(res, notFoundRoute(method, path), headers);
    } catch (err) {
      const error =
        err instanceof BodyTooLarge
          ? apiError(413, 'Request body too large.', 'invalid_request_error')
          : apiError(500, `The simulator failed: ${String(err)}`, 'server_error');
      this.fail(res, error, headers);
    }
  }

  private fail(res: ServerResponse, error: ApiError, headers: Record<string, string>): void {
    this.engine.stats.responded(error.status, error.body.error.type);
    sendError(res, error, headers);
  }

  /** Files and Batches share the models route's gatekeeping: availability, then auth. */
  private async filesAndBatches(
    api: string,
    method: string,
    path: string,
    req: IncomingMessage,
    res: ServerResponse,
    headers: Record<string, string>,
  ): Promise<void> {
    if (this.outage.serving503())
      return this.fail(res, apiError(503, 'Service unavailable.', 'server_error'), headers);
    if (!/^Bearer\s+\S+/.test(req.headers.authorization ?? ''))
      return this.fail(res, missingApiKey(), headers);
    const exchange: V1Exchange = {
      engine: this.engine,
      req,
      res,
      headers,
      query: new URL(req.url ?? '/', 'http://simulator').searchParams,
      ok: (body) => {
        this.engine.stats.responded(200);
        sendJson(res, 200, body, headers);
      },
      fail: (error) => this.fail(res, error, headers),
    };
    return api === 'files' ? handleFiles(exchange, method, path) : handleBatches(exchange, method, path);
  }

  private models(
    path: string,
    req: IncomingMessage,
    res: ServerResponse,
    headers: Record<string, string>,
  ): void {
    if (this.outage.serving503())
      return this.fail(res, apiError(503, 'Service unavailable.', 'server_error'), headers);
    if (!/^Bearer\s+\S+/.test(req.headers.authorization ?? ''))
      return this.fail(res, missingApiKey(), headers);
    const describe = (id: string) => ({
      id,
      object: 'model',
      created: modelFacts(resolveModel(id) ?? 'gpt-4').created,
      owned_by: 'system',
    });
    const id = decodeURIComponent(path.slice('/v1/models/'.length));
    this.engine.stats.responded(200);
    if (path === '/v1/models')
      return sendJson(res, 200, { object: 'list', data: KNOWN_MODELS.map(describe) }, headers);
    if (!resolveModel(id))
      return this.fail(
        res,
        apiError(
          404,
          `The model '${id}' does not exist`,
          'invalid_request_error',
          'model',
          'model_not_found',
        ),
        headers,
      );
    sendJson(res, 200, describe(id), headers);
  }

  private async admin(
    method: string,
    path: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET /_sim/health':
        return sendJson(res, 200, { ok: true, outage: this.outage.snapshot() });
      case 'GET /_sim/ledger':
        return sendJson(res, 200, this.engine.ledger.snapshot());
      case 'POST /_sim/ledger/reset':
        this.engine.resetLedger();
        return sendJson(res, 200, this.engine.ledger.snapshot());
      case 'GET /_sim/stats':
        return sendJson(res, 200, this.statsSnapshot());
      case 'GET /_sim/batches':
        return sendJson(res, 200, this.engine.batches.list(Date.now()));
      case 'GET /_sim/config':
        return sendJson(res, 200, this.engine.config);
      case 'POST /_sim/config': {
        const parsed = parseJson(await readBody(req));
        if (!parsed)
          return sendJson(res, 400, {
            error: { message: 'Invalid config: body is not JSON', type: 'invalid_config' },
          });
        try {
          this.engine.configure(parsed.value);
        } catch (err) {
          if (!(err instanceof ConfigError)) throw err;
          return sendJson(res, 400, { error: { message: err.message, type: 'invalid_config' } });
        }
        // A refuse outage closes this very connection: answer first, then apply it.
        const refusing = this.engine.config.outage?.mode === 'refuse';
        if (touchesOutage(parsed.value) && !refusing) this.applyOutage();
        sendJson(res, 200, this.engine.config);
        if (touchesOutage(parsed.value) && refusing) res.once('finish', () => this.applyOutage());
        return;
      }
      default: {
        // POST /_sim/batches/:id/expire ends the completion window now; .../fail fails the batch now.
        const batchAction = /^POST \/_sim\/batches\/([^/]+)\/(expire|fail)$/.exec(route);
        if (batchAction) {
          const [, id = '', action] = batchAction;
          const batches = this.engine.batches;
          const batch =
            action === 'expire' ? batches.expireNow(id, Date.now()) : batches.failNow(id, Date.now());
          if (batch) return sendJson(res, 200, batch);
        }
        return sendJson(res, 404, { error: { message: `No admin route ${route}`, type: 'not_found' } });
      }
    }
  }
}
