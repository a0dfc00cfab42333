import type { BatchInput, BatchLine, BatchValidationError } from './batch-input';
import type { BatchEngine, BatchStatus, LineTally } from './batch-types';
import type { SimulatorConfig } from '../shared/config';
import { isApiError } from '../chat/chat-request';
import { embeddingResponse, parseEmbeddingRequest } from '../embeddings/embeddings';
import { serverError, type ApiError } from '../shared/errors';
import type { TokenUsage } from '../shared/pricing';
import { Prng, sha256Hex } from '../shared/prng';

/**
 * One batch and its clock. Nothing runs in the background here: `advance(now)` replays what the
 * schedule says has happened by `now`. Line k (in the shuffled order) is due at
 * in_progress_at + (k+1)·processingMsPerLine and runs with that time as its `now`, so the output,
 * the bill and every transition depend only on the seed, the input and the timing config, never
 * on when or how often someone polls.
 */

export type BatchTiming = SimulatorConfig['batch'];

export interface BatchSpec {
  id: string;
  /** Keys the seeded draws (failures, order): the same for the n-th batch of every process, unlike `id`. */
  drawKey: string;
  createdAt: number;
  endpoint: string;
  inputFileId: string;
  metadata: Record<string, string> | null;
}

/** What a job needs from around it: the model, somewhere to put result files, a tally. */
export interface BatchRuntime {
  engine: BatchEngine;
  writeFile(batchId: string, kind: 'output' | 'error', lines: string[], nowMs: number): string;
  tally: LineTally;
}

const DAY_MS = 24 * 3600 * 1000;
const seconds = (ms: number | undefined) => (ms === undefined ? null : Math.floor(ms / 1000));

export class BatchJob {
  status: BatchStatus = 'validating';
  readonly expiresAt: number;
  private readonly timing: BatchTiming;
  private readonly at: Partial<Record<BatchStatus, number>> = {};
  private errors: BatchValidationError[] | undefined;
  private lines: BatchLine[] = [];
  private order: number[] = [];
  private done = 0;
  private total = 0;
  private counts = { completed: 0, failed: 0 };
  private usage = { input: 0, cached: 0, output: 0 };
  private outputLines: string[] = [];
  private errorLines: string[] = [];
  private outputFileId: string | undefined;
  private errorFileId: string | undefined;
  /** Admin override of the expiry time (an "expire now" button). */
  private expireOverride: number | undefined;
  private readonly model: string | undefined;
  /** Dropped once validated, so a finished batch does not pin its parsed requests in memory. */
  private input: BatchInput | undefined;

  constructor(
    readonly spec: BatchSpec,
    input: BatchInput,
    private readonly runtime: BatchRuntime,
  ) {
    this.input = input;
    this.model = input.ok ? input.model : undefined;
    // Frozen at creation: changing the config later must not rewrite a running batch's history.
    this.timing = { ...runtime.engine.config.batch };
    this.expiresAt = spec.createdAt + (this.timing.expireAfterMs ?? DAY_MS);
  }

  get terminal(): boolean {
    return ['failed', 'completed', 'expired', 'cancelled'].includes(this.status);
  }

  private get expiry(): number {
    return Math.min(this.expiresAt, this.expireOverride ?? Infinity);
  }

  private dueAt(k: number): number {
    return (this.at.in_progress ?? 0) + (k + 1) * this.timing.processingMsPerLine;
  }

  /**
   * Brings the batch up to `now`, running due lines until `deadline` (a performance.now() value)
   * passes. Work left over is picked up by the next call; it is late, never different.
   */
  advance(now: number, deadline: number): void {
    for (;;) {
      const before = this.status;
      this.step(now, deadline);
      if (this.status === before) return;
    }
  }

  private step(now: number, deadline: number): void {
    const t = this.timing;
    if (this.status === 'validating') {
      const validAt = this.spec.createdAt + t.validatingMs;
      if (this.expiry <= validAt && now >= this.expiry) return this.finish('expired', this.expiry);
      if (now >= validAt) this.validate(validAt);
      return;
    }
    if (this.status === 'finalizing') {
      const end = (this.at.finalizing ?? 0) + t.finalizingMs;
      if (now >= end) this.finish('completed', end);
      return;
    }
    if (this.status !== 'in_progress' && this.status !== 'cancelling') return;
    const stop = this.at.cancelling ?? Infinity;
    while (this.done < this.order.length) {
      const due = this.dueAt(this.done);
      if (due > now || due > stop || due >= this.expiry) break;
      if (performance.now() > deadline) return;
      this.runLine(due);
    }
    const allDone = this.done === this.order.length;
    if (this.status === 'cancelling') {
      const end = (this.at.cancelling ?? 0) + t.cancellingMs;
      const caughtUp = allDone || this.dueAt(this.done) > stop || this.dueAt(this.done) >= this.expiry;
      if (caughtUp && now >= end) this.finish('cancelled', end);
    } else if (allDone) {
      this.status = 'finalizing';
      this.at.finalizing =
        this.order.length === 0 ? (this.at.in_progress ?? 0) : this.dueAt(this.order.length - 1);
    } else if (now >= this.expiry) {
      this.finish('expired', this.expiry);
    }
  }

  private validate(at: number): void {
    const input = this.input;
    this.input = undefined;
    if (!input?.ok) {
      this.errors = input?.errors ?? [];
      return this.finish('failed', at);
    }
    if (
      new Prng(this.runtime.engine.seed, 'batch-fail', this.spec.drawKey).chance(this.timing.failBatchRate)
    ) {
      const message = 'The batch failed while being validated (simulated failBatchRate).';
      this.errors = [{ code: 'batch_failed', message, param: null, line: null }];
      return this.finish('failed', at);
    }
    this.lines = input.lines;
    this.total = input.lines.length;
    // Fisher–Yates with a seeded stream: results arrive out of input order, as OpenAI's do.
    const rng = new Prng(this.runtime.engine.seed, 'batch-order', this.spec.drawKey);
    this.order = input.lines.map((_, i) => i);
    for (let i = this.order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [this.order[i], this.order[j]] = [this.order[j] as number, this.order[i] as number];
    }
    this.status = 'in_progress';
    this.at.in_progress = at;
  }

  private runLine(due: number): void {
    const line = this.lines[this.order[this.done] as number] as BatchLine;
    this.done += 1;
    const key = this.lineKey(line);
    const envelope = { id: `batch_req_${key.slice(0, 32)}`, custom_id: line.customId };
    const requestId = `req_${key.slice(32, 64)}`;
    const engine = this.runtime.engine;
    const failed = new Prng(engine.seed, 'batch-line', this.spec.drawKey, line.customId).chance(
      this.timing.lineFailureRate,
    );
    // Failed lines are not billed; HTTP-level failures carry the would-be response and a null
    // top-level `error`, which OpenAI reserves for failures without a response (expiry, cancel).
    const result = failed
      ? { ok: false as const, error: serverError(500) }
      : this.spec.endpoint === '/v1/embeddings'
        ? embedLine(engine, line.body)
        : engine.complete(line.body, due, 0.5, 'batch');
    if (!result.ok) {
      this.counts.failed += 1;
      this.runtime.tally.failed += 1;
      const response = { status_code: result.error.status, request_id: requestId, body: result.error.body };
      this.errorLines.push(JSON.stringify({ ...envelope, response, error: null }));
      return;
    }
    this.counts.completed += 1;
    this.runtime.tally.succeeded += 1;
    const { usage } = result.outcome;
    this.usage.input += usage.promptTokens;
    this.usage.cached += usage.cachedTokens;
    this.usage.output += usage.completionTokens;
    const response = { status_code: 200, request_id: requestId, body: result.outcome.completion };
    this.outputLines.push(JSON.stringify({ ...envelope, response, error: null }));
  }

  /** Ids derived from batch and custom_id: the same line keeps its ids across polls and files. */
  private lineKey(line: BatchLine): string {
    return sha256Hex(`${this.spec.id}\u0000${line.customId}`);
  }

  /** Ends the batch at `at`: unrun lines get an error entry, results become files. */
  private finish(status: 'failed' | 'completed' | 'expired' | 'cancelled', at: number): void {
    const reason = status === 'expired' ? 'expired' : status === 'cancelled' ? 'cancelled' : undefined;
    if (reason) {
      const message =
        reason === 'expired'
          ? 'This request could not be executed before the completion window expired.'
          : 'This request was not executed because the batch was cancelled.';
      for (let k = this.done; k < this.order.length; k++) {
        const line = this.lines[this.order[k] as number] as BatchLine;
        const id = `batch_req_${this.lineKey(line).slice(0, 32)}`;
        const error = { code: `batch_${reason}`, message };
        this.errorLines.push(JSON.stringify({ id, custom_id: line.customId, response: null, error }));
        this.runtime.tally[reason] += 1;
      }
    }
    if (this.outputLines.length > 0)
      this.outputFileId = this.runtime.writeFile(this.spec.id, 'output', this.outputLines, at);
    if (this.errorLines.length > 0)
      this.errorFileId = this.runtime.writeFile(this.spec.id, 'error', this.errorLines, at);
    this.status = status;
    this.at[status] = at;
    // The files hold the results now; the job keeps only its summary.
    this.input = undefined;
    this.lines = [];
    this.outputLines = [];
    this.errorLines = [];
  }

  /** Starts cancelling at `now`; lines due by then still run, later ones never do. */
  cancel(now: number): void {
    // A finalizing batch has run every line already; it completes rather than cancels.
    if (this.status !== 'validating' && this.status !== 'in_progress') return;
    this.status = 'cancelling';
    this.at.cancelling = now;
  }

  /** Admin: let the completion window end now. */
  expireNow(now: number): void {
    this.expireOverride = now;
  }

  /** Admin: fail the batch now; lines that already ran keep their (billed) results. */
  failNow(now: number, deadline: number): void {
    this.advance(now, deadline);
    if (this.terminal) return;
    this.errors = [
      { code: 'batch_failed', message: 'The batch failed (simulated).', param: null, line: null },
    ];
    this.finish('failed', now);
  }

  toObject() {
    const s = this.spec;
    return {
      id: s.id,
      object: 'batch' as const,
      endpoint: s.endpoint,
      model: this.model,
      errors: this.errors ? { object: 'list', data: this.errors } : null,
      input_file_id: s.inputFileId,
      completion_window: '24h',
      status: this.status,
      output_file_id: this.outputFileId ?? null,
      error_file_id: this.errorFileId ?? null,
      created_at: seconds(s.createdAt),
      in_progress_at: seconds(this.at.in_progress),
      expires_at: seconds(this.expiry),
      finalizing_at: seconds(this.at.finalizing),
      completed_at: seconds(this.at.completed),
      failed_at: seconds(this.at.failed),
      expired_at: seconds(this.at.expired),
      cancelling_at: seconds(this.at.cancelling),
      cancelled_at: seconds(this.at.cancelled),
      request_counts: { total: this.total, ...this.counts },
      usage: this.usageObject(),
      metadata: s.metadata,
    };
  }

  /** OpenAI's batch `usage`: tokens summed over the lines that ran. */
  private usageObject() {
    const { input, cached, output } = this.usage;
    const details = {
      input_tokens_details: { cached_tokens: cached },
      output_tokens_details: { reasoning_tokens: 0 },
    };
    return { input_tokens: input, output_tokens: output, total_tokens: input + output, ...details };
  }
}

/** One embeddings line: the same vectors as /v1/embeddings, billed at half price on the batch route. */
function embedLine(
  engine: BatchEngine,
  body: unknown,
): { ok: false; error: ApiError } | { ok: true; outcome: { usage: TokenUsage; completion: unknown } } {
  const request = parseEmbeddingRequest(body);
  if (isApiError(request)) return { ok: false, error: request };
  const { body: response, promptTokens } = embeddingResponse(request);
  engine.ledger.billEmbedding(request.model, promptTokens, 'batch');
  return {
    ok: true,
    outcome: { usage: { promptTokens, cachedTokens: 0, completionTokens: 0 }, completion: response },
  };
}
