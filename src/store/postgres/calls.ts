import type { CallFilter, CallRecord, CallStore, CallVerdict, NewCallRecord } from '../store';
import { CALL_SQL } from '../sql/calls';
import { sqlLimit, type PgContext } from './context';

export const CALL_COLUMNS = `id, run_id AS "runId", listing_id AS "listingId", workflow_id AS "workflowId", attempt,
  model, route, prompt_hash AS "promptHash", prompt_version AS "promptVersion", schema_version AS "schemaVersion",
  started_at AS "startedAt", duration_ms AS "durationMs", prompt_tokens AS "promptTokens",
  cached_tokens AS "cachedTokens", completion_tokens AS "completionTokens", cost_pico AS "costPico", status,
  error_type AS "errorType", error_message AS "errorMessage", finish_reason AS "finishReason",
  tool_arguments AS "toolArguments", refusal, batch_id AS "batchId", validation,
  validation_error AS "validationError", score, confidence, reasoning`;

/**
 * The columns a new call writes, with their types and values: one list for the single-row
 * insert (the hot path of a synchronous call) and the array insert of a collected batch.
 */
const INSERTED: ReadonlyArray<[column: string, type: string, value: (c: NewCallRecord) => unknown]> = [
  ['run_id', 'text', (c) => c.runId],
  ['listing_id', 'text', (c) => c.listingId],
  ['workflow_id', 'text', (c) => c.workflowId],
  ['attempt', 'integer', (c) => c.attempt],
  ['model', 'text', (c) => c.model],
  ['route', 'text', (c) => c.route],
  ['prompt_hash', 'text', (c) => c.promptHash],
  ['prompt_version', 'text', (c) => c.promptVersion],
  ['schema_version', 'text', (c) => c.schemaVersion],
  ['started_at', 'timestamptz', (c) => c.startedAt],
  ['duration_ms', 'integer', (c) => c.durationMs],
  ['prompt_tokens', 'integer', (c) => c.promptTokens],
  ['cached_tokens', 'integer', (c) => c.cachedTokens],
  ['completion_tokens', 'integer', (c) => c.completionTokens],
  ['cost_pico', 'bigint', (c) => c.costPico],
  ['status', 'text', (c) => c.status],
  ['error_type', 'text', (c) => c.errorType],
  ['error_message', 'text', (c) => c.errorMessage],
  ['finish_reason', 'text', (c) => c.finishReason],
  ['tool_arguments', 'text', (c) => c.toolArguments],
  ['refusal', 'text', (c) => c.refusal],
  ['batch_id', 'text', (c) => c.batchId ?? null],
];
const COLUMN_LIST = INSERTED.map(([column]) => column).join(', ');

const SQL = {
  insertCall: `INSERT INTO llm_calls (${COLUMN_LIST})
    VALUES (${INSERTED.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,

  // One statement, so all rows are written or none. Rows are inserted in the order given (by
  // ordinality), so their ids ascend in that order.
  insertCalls: `INSERT INTO llm_calls (${COLUMN_LIST})
    SELECT ${COLUMN_LIST} FROM unnest(${INSERTED.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
      WITH ORDINALITY AS c (${COLUMN_LIST}, ord)
    ORDER BY ord RETURNING id`,

  getCall: `SELECT ${CALL_COLUMNS} FROM llm_calls WHERE id = $1`,

  reusableCall: `SELECT ${CALL_COLUMNS} FROM llm_calls
    WHERE run_id = $1 AND listing_id = $2 AND prompt_hash = $3 AND status = 'ok' ORDER BY id LIMIT 1`,

  // Filters are built by the store; the limit is always the last parameter.
  listCalls: (where: string, limitParam: number) =>
    `SELECT ${CALL_COLUMNS} FROM llm_calls ${where} ORDER BY id LIMIT $${limitParam}`,
} as const;

/** The call log on PostgreSQL. */
export class PostgresCalls implements CallStore {
  constructor(private readonly c: PgContext) {}

  async recordCall(call: NewCallRecord): Promise<number> {
    const row = await this.c.one<{ id: number }>(
      SQL.insertCall,
      INSERTED.map(([, , value]) => value(call)),
    );
    if (!row) throw new Error('INSERT INTO llm_calls returned no id');
    return row.id;
  }

  async recordCalls(calls: NewCallRecord[]): Promise<number[]> {
    if (calls.length === 0) return [];
    const { rows } = await this.c.pool.query<{ id: number }>(
      SQL.insertCalls,
      INSERTED.map(([, , value]) => calls.map(value)),
    );
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }

  async findReusableCall(
    runId: string,
    listingId: string,
    promptHash: string,
  ): Promise<CallRecord | undefined> {
    return this.c.one<CallRecord>(SQL.reusableCall, [runId, listingId, promptHash]);
  }

  async getCall(callId: number): Promise<CallRecord | undefined> {
    return this.c.one<CallRecord>(SQL.getCall, [callId]);
  }

  async setCallVerdict(callId: number, v: CallVerdict): Promise<void> {
    if (v.validation === 'valid') {
      await this.c.pool.query(CALL_SQL.markValid, [v.score, v.confidence, v.reasoning, callId]);
    } else {
      await this.c.pool.query(CALL_SQL.markInvalid, [v.error, callId]);
    }
  }

  async listCalls(f: CallFilter): Promise<CallRecord[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (column: string, op: string, value: unknown) => {
      args.push(value);
      where.push(`${column} ${op} $${args.length}`);
    };
    // Truthiness, not `!== undefined`, as in SqliteStore: an empty string means "no filter".
    if (f.runId) add('run_id', '=', f.runId);
    if (f.listingId) add('listing_id', '=', f.listingId);
    if (f.listingIds) {
      args.push(f.listingIds);
      where.push(`listing_id = ANY($${args.length}::text[])`);
    }
    if (f.model) add('model', '=', f.model);
    if (f.status) add('status', '=', f.status);
    if (f.promptHash) add('prompt_hash', '=', f.promptHash);
    if (f.batchId) add('batch_id', '=', f.batchId);
    if (f.validation) add('validation', '=', f.validation);
    if (f.since) add('started_at', '>=', f.since);
    if (f.until) add('started_at', '<', f.until);
    if (f.afterId !== undefined) add('id', '>', f.afterId);
    args.push(sqlLimit(f.limit ?? 1000));
    const sql = SQL.listCalls(where.length ? `WHERE ${where.join(' AND ')}` : '', args.length);
    return (await this.c.pool.query<CallRecord>(sql, args)).rows;
  }
}
