import type { CallFilter, CallRecord, CallStore, CallVerdict, NewCallRecord } from '../store';
import { CALL_SQL } from '../sql/calls';
import { allForSqlite } from '../sql/placeholders';
import { jsonList, type Row, type SqliteContext } from './context';

const SQL = allForSqlite(CALL_SQL);

const INSERT_CALL = `INSERT INTO llm_calls (run_id, listing_id, workflow_id, attempt, model, route, prompt_hash,
    prompt_version, schema_version, started_at, duration_ms, prompt_tokens, cached_tokens, completion_tokens,
    cost_pico, status, error_type, error_message, finish_reason, tool_arguments, refusal, batch_id)
  VALUES (@runId, @listingId, @workflowId, @attempt, @model, @route, @promptHash, @promptVersion, @schemaVersion,
    @startedAt, @durationMs, @promptTokens, @cachedTokens, @completionTokens, @costPico, @status, @errorType,
    @errorMessage, @finishReason, @toolArguments, @refusal, @batchId)`;

/** The call log on SQLite. */
export class SqliteCalls implements CallStore {
  constructor(private readonly c: SqliteContext) {}

  recordCall(call: NewCallRecord): Promise<number> {
    return Promise.resolve(this.insert(call));
  }

  recordCalls(calls: NewCallRecord[]): Promise<number[]> {
    return Promise.resolve(this.c.db.transaction(() => calls.map((call) => this.insert(call)))());
  }

  private insert(call: NewCallRecord): number {
    const result = this.c.prepared(INSERT_CALL).run({ ...call, batchId: call.batchId ?? null });
    return Number(result.lastInsertRowid);
  }

  findReusableCall(runId: string, listingId: string, promptHash: string): Promise<CallRecord | undefined> {
    const row = this.c
      .prepared(
        `SELECT * FROM llm_calls WHERE run_id = ? AND listing_id = ? AND prompt_hash = ? AND status = 'ok'
         ORDER BY id LIMIT 1`,
      )
      .get(runId, listingId, promptHash) as Row | undefined;
    return Promise.resolve(row ? toCall(row) : undefined);
  }

  getCall(callId: number): Promise<CallRecord | undefined> {
    const row = this.c.prepared('SELECT * FROM llm_calls WHERE id = ?').get(callId) as Row | undefined;
    return Promise.resolve(row ? toCall(row) : undefined);
  }

  setCallVerdict(callId: number, v: CallVerdict): Promise<void> {
    if (v.validation === 'valid') {
      this.c.prepared(SQL.markValid).run(v.score, v.confidence, v.reasoning, callId);
    } else {
      this.c.prepared(SQL.markInvalid).run(v.error, callId);
    }
    return Promise.resolve();
  }

  listCalls(f: CallFilter): Promise<CallRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      args.push(value);
    };
    if (f.runId) add('run_id = ?', f.runId);
    if (f.listingId) add('listing_id = ?', f.listingId);
    if (f.listingIds) add('listing_id IN (SELECT value FROM json_each(?))', jsonList(f.listingIds));
    if (f.model) add('model = ?', f.model);
    if (f.status) add('status = ?', f.status);
    if (f.promptHash) add('prompt_hash = ?', f.promptHash);
    if (f.batchId) add('batch_id = ?', f.batchId);
    if (f.validation) add('validation = ?', f.validation);
    if (f.since) add('started_at >= ?', f.since);
    if (f.until) add('started_at < ?', f.until);
    if (f.afterId !== undefined) add('id > ?', f.afterId);
    const sql = `SELECT * FROM llm_calls ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`;
    const rows = this.c.prepared(sql).all(...args, f.limit ?? 1000) as Row[];
    return Promise.resolve(rows.map(toCall));
  }
}

function toCall(r: Row): CallRecord {
  return {
    id: r.id as number,
    runId: r.run_id as string,
    listingId: r.listing_id as string,
    workflowId: r.workflow_id as string,
    attempt: r.attempt as number,
    model: r.model as string,
    route: r.route as CallRecord['route'],
    promptHash: r.prompt_hash as string,
    promptVersion: r.prompt_version as string,
    schemaVersion: r.schema_version as string,
    startedAt: r.started_at as string,
    durationMs: r.duration_ms as number,
    promptTokens: r.prompt_tokens as number,
    cachedTokens: r.cached_tokens as number,
    completionTokens: r.completion_tokens as number,
    costPico: r.cost_pico as number,
    status: r.status as CallRecord['status'],
    errorType: r.error_type as string | null,
    errorMessage: r.error_message as string | null,
    finishReason: r.finish_reason as string | null,
    toolArguments: r.tool_arguments as string | null,
    refusal: r.refusal as string | null,
    batchId: (r.batch_id as string | null) ?? null,
    validation: r.validation as CallRecord['validation'],
    validationError: r.validation_error as string | null,
    score: r.score as number | null,
    confidence: r.confidence as number | null,
    reasoning: r.reasoning as string | null,
  };
}
