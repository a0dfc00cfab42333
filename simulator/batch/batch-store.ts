import { validateBatchInput } from './batch-input';
import { BatchJob } from './batch-job';
import type { BatchEngine, BatchStats, LineTally } from './batch-types';
import { apiError, invalidRequest, type ApiError } from '../shared/errors';
import type { FileStore } from '../files/file-store';
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../shared/prng';

// OpenAI's ids are unique across time; a seeded counter alone would repeat them in every new
// simulator process, which hides bugs in clients that key anything on a batch id.
const INSTANCE = randomBytes(8).toString('hex');

/** How often active batches are advanced in the background, so the ledger fills without polling. */
const TICK_MS = 25;
/** CPU per advance: at most this long running lines, i.e. ≤40% of a core at TICK_MS. */
const WORK_SLICE_MS = 10;
/** The endpoints OpenAI batches accept that the simulator models. */
const SUPPORTED_ENDPOINTS = ['/v1/chat/completions', '/v1/embeddings'];

export type BatchObject = ReturnType<BatchJob['toObject']>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** OpenAI's metadata rule: at most 16 string pairs, keys ≤64 and values ≤512 characters. */
function validMetadata(metadata: unknown): metadata is Record<string, string> | null | undefined {
  if (metadata === undefined || metadata === null) return true;
  if (!isRecord(metadata)) return false;
  const entries = Object.entries(metadata);
  return (
    entries.length <= 16 &&
    entries.every(([key, value]) => key.length <= 64 && typeof value === 'string' && value.length <= 512)
  );
}

/** Every batch of one simulator, and the clock that moves the unfinished ones forward. */
export class BatchStore {
  private readonly jobs = new Map<string, BatchJob>();
  private readonly tally: LineTally = { succeeded: 0, failed: 0, expired: 0, cancelled: 0 };
  private created = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly engine: BatchEngine,
    private readonly files: FileStore,
  ) {}

  /** POST /v1/batches: checks the request, then the batch starts `validating`. */
  create(body: unknown, now: number): BatchObject | ApiError {
    if (!isRecord(body)) return invalidRequest('The request body must be a JSON object.');
    const { input_file_id: fileId, endpoint, completion_window: window } = body;
    if (typeof fileId !== 'string')
      return invalidRequest("Missing required parameter: 'input_file_id'.", 'input_file_id');
    if (typeof endpoint !== 'string' || !SUPPORTED_ENDPOINTS.includes(endpoint))
      return invalidRequest(
        `Invalid 'endpoint': the simulator supports ${SUPPORTED_ENDPOINTS.join(', ')}.`,
        'endpoint',
      );
    if (window !== '24h')
      return invalidRequest("Invalid 'completion_window': only '24h' is supported.", 'completion_window');
    const metadata = body.metadata;
    if (!validMetadata(metadata))
      return invalidRequest(
        "Invalid 'metadata': at most 16 string values, keys up to 64 and values up to 512 characters.",
        'metadata',
      );
    const file = this.files.get(fileId);
    const content = this.files.content(fileId);
    if (!file || !content)
      return apiError(404, `No such File object: ${fileId}`, 'invalid_request_error', 'input_file_id');
    if (file.purpose !== 'batch')
      return invalidRequest(
        `File ${fileId} has purpose '${file.purpose}'; a batch needs purpose 'batch'.`,
        'input_file_id',
      );

    this.created += 1;
    const drawKey = `batch_${sha256Hex(`${this.engine.seed}\u0000batch\u0000${this.created}`).slice(0, 24)}`;
    const id = `batch_${sha256Hex(`${INSTANCE}\u0000${drawKey}`).slice(0, 24)}`;
    const input = validateBatchInput(content, endpoint);
    const job = new BatchJob(
      { id, drawKey, createdAt: now, endpoint, inputFileId: fileId, metadata: metadata ?? null },
      input,
      { engine: this.engine, writeFile: (...args) => this.writeFile(...args), tally: this.tally },
    );
    this.jobs.set(id, job);
    this.ensureTimer();
    return job.toObject();
  }

  get(id: string, now: number): BatchObject | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    job.advance(now, performance.now() + WORK_SLICE_MS);
    return job.toObject();
  }

  /** Newest first, as OpenAI lists batches. */
  list(now: number): BatchObject[] {
    this.advanceAll(now);
    return [...this.jobs.values()].reverse().map((job) => job.toObject());
  }

  cancel(id: string, now: number): BatchObject | ApiError | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    job.advance(now, performance.now() + WORK_SLICE_MS);
    if (job.terminal || job.status === 'finalizing')
      return apiError(409, `Cannot cancel a batch with status '${job.status}'.`, 'invalid_request_error');
    job.cancel(now);
    return job.toObject();
  }

  /** Admin: end the completion window now (`expired` once due lines have run). */
  expireNow(id: string, now: number): BatchObject | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    job.expireNow(now);
    job.advance(now, performance.now() + WORK_SLICE_MS);
    return job.toObject();
  }

  /** Admin: fail the batch now. */
  failNow(id: string, now: number): BatchObject | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    job.failNow(now, Infinity);
    return job.toObject();
  }

  stats(now: number): BatchStats {
    this.advanceAll(now);
    const byStatus: BatchStats['byStatus'] = {};
    for (const job of this.jobs.values()) byStatus[job.status] = (byStatus[job.status] ?? 0) + 1;
    return { byStatus, linesProcessed: this.tally.succeeded + this.tally.failed, lines: { ...this.tally } };
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private advanceAll(now: number): void {
    const deadline = performance.now() + WORK_SLICE_MS;
    for (const job of this.jobs.values()) if (!job.terminal) job.advance(now, deadline);
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.advanceAll(Date.now());
      if ([...this.jobs.values()].every((job) => job.terminal)) this.dispose();
    }, TICK_MS);
    // A forgotten simulator must not keep a test process alive.
    this.timer.unref();
  }

  private writeFile(batchId: string, kind: 'output' | 'error', lines: string[], nowMs: number): string {
    const content = Buffer.from(lines.map((line) => `${line}\n`).join(''));
    const limit = { maxTotalBytes: this.engine.config.files.maxTotalBytes, force: true };
    const file = this.files.add(content, `${batchId}_${kind}.jsonl`, 'batch_output', nowMs, limit);
    return (file as { id: string }).id;
  }
}
