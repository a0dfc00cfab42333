import type pg from 'pg';
import type { Listing } from '../../feed/listing';
import {
  bufferToVector,
  DEDUP_SQL,
  EARLIER_LEADERS_SELECT,
  vectorToBuffer,
  type DedupCandidate,
  type DedupItem,
  type DedupStore,
  type EmbeddingBatchRow,
  type EarlierLeadersFilter,
  type EmbeddingKey,
  type EmbeddingUsage,
  type NearDuplicateRecord,
  type NewEmbeddingCall,
} from '../dedup-store';

type VectorRow = Omit<DedupCandidate, 'vector'> & { vector: Buffer };
const toCandidate = (r: VectorRow): DedupCandidate => ({ ...r, vector: bufferToVector(r.vector) });

/** The PostgreSQL half of `DedupStore`: array parameters (UNNEST, ANY) instead of row loops. */
export class PostgresDedupStore implements DedupStore {
  constructor(private readonly pool: pg.Pool) {}

  async planListings(
    runId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<Array<{ seq: number; listing: Listing }>> {
    const { rows } = await this.pool.query<{ seq: number; listing: Listing }>(DEDUP_SQL.planListings, [
      runId,
      fromSeq,
      toSeq,
    ]);
    // data_json is json: pg has already parsed it.
    return rows;
  }

  async findEmbeddings(key: EmbeddingKey, textHashes: string[]): Promise<Map<string, Float32Array>> {
    const { rows } = await this.pool.query<{ textHash: string; vector: Buffer }>(
      `SELECT text_hash AS "textHash", vector FROM embeddings
       WHERE model = $1 AND dimensions = $2 AND text_hash = ANY($3::text[])`,
      [key.model, key.dimensions, [...new Set(textHashes)]],
    );
    return new Map(rows.map((r) => [r.textHash, bufferToVector(r.vector)]));
  }

  async saveEmbeddings(
    key: EmbeddingKey,
    rows: Array<{ textHash: string; vector: Float32Array }>,
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.pool.query(
      `INSERT INTO embeddings (text_hash, model, dimensions, vector, created_at)
       SELECT h, $1, $2, v, $3 FROM UNNEST($4::text[], $5::bytea[]) AS t(h, v)
       ON CONFLICT (text_hash, model, dimensions) DO NOTHING`,
      [
        key.model,
        key.dimensions,
        new Date().toISOString(),
        rows.map((r) => r.textHash),
        rows.map((r) => vectorToBuffer(r.vector)),
      ],
    );
  }

  async recordEmbeddingCall(c: NewEmbeddingCall): Promise<void> {
    await this.pool.query(DEDUP_SQL.recordCall, [
      c.runId,
      c.workflowId,
      c.model,
      c.route,
      c.startedAt,
      c.durationMs,
      c.inputs,
      c.promptTokens,
      c.costPico,
      c.status,
      c.errorType,
      c.errorMessage,
      c.batchId,
    ]);
  }

  async addItems(runId: string, items: DedupItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.pool.query(
      `INSERT INTO dedup_items (run_id, listing_id, seq, text_hash, guard_key)
       SELECT $1, l, s, h, g FROM UNNEST($2::text[], $3::int[], $4::text[], $5::text[]) AS t(l, s, h, g)
       ON CONFLICT (run_id, listing_id) DO NOTHING`,
      [
        runId,
        items.map((i) => i.listingId),
        items.map((i) => i.seq),
        items.map((i) => i.textHash),
        items.map((i) => i.guardKey),
      ],
    );
  }

  async blockPage(
    runId: string,
    key: EmbeddingKey,
    afterKey: string,
    limit: number,
  ): Promise<DedupCandidate[]> {
    const keys = await this.pool.query<{ k: string; n: string }>(DEDUP_SQL.pageKeys, [
      runId,
      afterKey,
      limit,
    ]);
    let rows = 0;
    let last: string | undefined;
    for (const { k, n } of keys.rows) {
      if (last !== undefined && rows + Number(n) > limit) break;
      rows += Number(n);
      last = k;
    }
    if (last === undefined) return [];
    const found = await this.pool.query<VectorRow>(DEDUP_SQL.blockRows, [
      key.model,
      key.dimensions,
      runId,
      afterKey,
      last,
    ]);
    return found.rows.map(toCandidate);
  }

  async earlierLeaders(f: EarlierLeadersFilter, guardKeys: string[]): Promise<DedupCandidate[]> {
    if (guardKeys.length === 0) return [];
    const { rows } = await this.pool.query<VectorRow>(
      `${EARLIER_LEADERS_SELECT} AND d.guard_key = ANY($8::text[]) ORDER BY r.run_date DESC, d.listing_id`,
      [f.model, f.dimensions, f.excludeRunId, f.criteria, f.promptVersion, f.since, f.onOrBefore, guardKeys],
    );
    return rows.map(toCandidate);
  }

  async addNearDuplicates(runId: string, rows: NearDuplicateRecord[]): Promise<void> {
    if (rows.length === 0) return;
    await this.pool.query(
      `INSERT INTO near_duplicates (run_id, listing_id, leader_run_id, leader_listing_id, similarity)
       SELECT $1, l, lr, ll, s FROM UNNEST($2::text[], $3::text[], $4::text[], $5::float8[]) AS t(l, lr, ll, s)
       ON CONFLICT (run_id, listing_id) DO NOTHING`,
      [
        runId,
        rows.map((r) => r.listingId),
        rows.map((r) => r.leaderRunId),
        rows.map((r) => r.leaderListingId),
        rows.map((r) => r.similarity),
      ],
    );
  }

  async applyNearDuplicates(runId: string): Promise<{ written: number; orphans: NearDuplicateRecord[] }> {
    // The time parameter sits in a SELECT list, where PostgreSQL cannot infer its type.
    const sql = DEDUP_SQL.applyNearDuplicates.replace(
      "$1, 'near_duplicate'",
      "$1::timestamptz, 'near_duplicate'",
    );
    const result = await this.pool.query(sql, [new Date().toISOString(), runId]);
    const orphans = await this.pool.query<NearDuplicateRecord>(DEDUP_SQL.orphans, [runId]);
    return { written: result.rowCount ?? 0, orphans: orphans.rows };
  }

  async nearDuplicateOf(runId: string, listingId: string): Promise<NearDuplicateRecord | undefined> {
    const { rows } = await this.pool.query<NearDuplicateRecord>(DEDUP_SQL.nearDuplicateOf, [
      runId,
      listingId,
    ]);
    return rows[0];
  }

  async listNearDuplicates(runId: string, limit: number): Promise<NearDuplicateRecord[]> {
    const { rows } = await this.pool.query<NearDuplicateRecord>(DEDUP_SQL.listNearDuplicates, [runId, limit]);
    return rows;
  }

  async nearDuplicatesOfListing(listingId: string): Promise<NearDuplicateRecord[]> {
    const { rows } = await this.pool.query<NearDuplicateRecord>(DEDUP_SQL.ofListing, [listingId]);
    return rows;
  }

  async embeddingBatches(runId: string): Promise<EmbeddingBatchRow[]> {
    const { rows } = await this.pool.query<{ batchId: string; status: string; costPico: string }>(
      DEDUP_SQL.batches,
      [runId],
    );
    // BIGINT arrives as text; pico-dollars of a batch stay far below 2^53.
    return rows.map((r) => ({ ...r, costPico: Number(r.costPico) }));
  }

  async embeddingUsage(runId: string): Promise<EmbeddingUsage> {
    const u = await this.pool.query<Record<string, string>>(DEDUP_SQL.usage, [runId]);
    const n = await this.pool.query<{ n: string; earlier: string }>(DEDUP_SQL.nearCounts, [runId]);
    const row = u.rows[0] ?? {};
    return {
      calls: Number(row.calls ?? 0),
      inputs: Number(row.inputs ?? 0),
      promptTokens: Number(row.promptTokens ?? 0),
      costPico: Number(row.costPico ?? 0),
      nearDuplicates: Number(n.rows[0]?.n ?? 0),
      earlierDay: Number(n.rows[0]?.earlier ?? 0),
    };
  }
}
