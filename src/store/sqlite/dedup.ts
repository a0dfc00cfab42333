import type Database from 'better-sqlite3';
import type { Listing } from '../../feed/listing';
import { forSqlite } from '../sql/placeholders';
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

type Prepare = (sql: string) => Database.Statement;
type VectorRow = Omit<DedupCandidate, 'vector'> & { vector: Buffer };

const toCandidate = (r: VectorRow): DedupCandidate => ({ ...r, vector: bufferToVector(r.vector) });

/** The SQLite half of `DedupStore`, on the store's own connection and statement cache. */
export class SqliteDedupStore implements DedupStore {
  constructor(
    private readonly db: Database.Database,
    private readonly prepared: Prepare,
  ) {}

  private sql(text: string): Database.Statement {
    return this.prepared(forSqlite(text));
  }

  planListings(
    runId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<Array<{ seq: number; listing: Listing }>> {
    const rows = this.sql(DEDUP_SQL.planListings).all(runId, fromSeq, toSeq) as Array<{
      seq: number;
      listing: string;
    }>;
    return Promise.resolve(rows.map((r) => ({ seq: r.seq, listing: JSON.parse(r.listing) as Listing })));
  }

  findEmbeddings(key: EmbeddingKey, textHashes: string[]): Promise<Map<string, Float32Array>> {
    const stmt = this.prepared(
      'SELECT vector FROM embeddings WHERE text_hash = ? AND model = ? AND dimensions = ?',
    );
    const found = new Map<string, Float32Array>();
    for (const hash of new Set(textHashes)) {
      const row = stmt.get(hash, key.model, key.dimensions) as { vector: Buffer } | undefined;
      if (row) found.set(hash, bufferToVector(row.vector));
    }
    return Promise.resolve(found);
  }

  saveEmbeddings(key: EmbeddingKey, rows: Array<{ textHash: string; vector: Float32Array }>): Promise<void> {
    const stmt = this.sql(DEDUP_SQL.saveEmbedding);
    const at = new Date().toISOString();
    this.db.transaction(() => {
      for (const r of rows) stmt.run(r.textHash, key.model, key.dimensions, vectorToBuffer(r.vector), at);
    })();
    return Promise.resolve();
  }

  recordEmbeddingCall(c: NewEmbeddingCall): Promise<void> {
    this.sql(DEDUP_SQL.recordCall).run(
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
    );
    return Promise.resolve();
  }

  addItems(runId: string, items: DedupItem[]): Promise<void> {
    const stmt = this.sql(DEDUP_SQL.addItem);
    this.db.transaction(() => {
      for (const i of items) stmt.run(runId, i.listingId, i.seq, i.textHash, i.guardKey);
    })();
    return Promise.resolve();
  }

  blockPage(runId: string, key: EmbeddingKey, afterKey: string, limit: number): Promise<DedupCandidate[]> {
    const keys = this.sql(DEDUP_SQL.pageKeys).all(runId, afterKey, limit) as Array<{ k: string; n: number }>;
    // Whole blocks up to about `limit` rows; the first block always, however large.
    let rows = 0;
    let last: string | undefined;
    for (const { k, n } of keys) {
      if (last !== undefined && rows + n > limit) break;
      rows += n;
      last = k;
    }
    if (last === undefined) return Promise.resolve([]);
    const found = this.sql(DEDUP_SQL.blockRows).all(
      key.model,
      key.dimensions,
      runId,
      afterKey,
      last,
    ) as VectorRow[];
    return Promise.resolve(found.map(toCandidate));
  }

  earlierLeaders(f: EarlierLeadersFilter, guardKeys: string[]): Promise<DedupCandidate[]> {
    const stmt = this.sql(
      `${EARLIER_LEADERS_SELECT} AND d.guard_key = $8 ORDER BY r.run_date DESC, d.listing_id`,
    );
    const out: DedupCandidate[] = [];
    for (const guard of guardKeys) {
      const rows = stmt.all(
        f.model,
        f.dimensions,
        f.excludeRunId,
        f.criteria,
        f.promptVersion,
        f.since,
        f.onOrBefore,
        guard,
      ) as VectorRow[];
      for (const r of rows) out.push(toCandidate(r));
    }
    return Promise.resolve(out);
  }

  addNearDuplicates(runId: string, rows: NearDuplicateRecord[]): Promise<void> {
    const stmt = this.sql(DEDUP_SQL.addNearDuplicate);
    this.db.transaction(() => {
      for (const r of rows) stmt.run(runId, r.listingId, r.leaderRunId, r.leaderListingId, r.similarity);
    })();
    return Promise.resolve();
  }

  applyNearDuplicates(runId: string): Promise<{ written: number; orphans: NearDuplicateRecord[] }> {
    const written = this.sql(DEDUP_SQL.applyNearDuplicates).run(new Date().toISOString(), runId).changes;
    const orphans = this.sql(DEDUP_SQL.orphans).all(runId) as NearDuplicateRecord[];
    return Promise.resolve({ written, orphans });
  }

  nearDuplicateOf(runId: string, listingId: string): Promise<NearDuplicateRecord | undefined> {
    return Promise.resolve(
      this.sql(DEDUP_SQL.nearDuplicateOf).get(runId, listingId) as NearDuplicateRecord | undefined,
    );
  }

  listNearDuplicates(runId: string, limit: number): Promise<NearDuplicateRecord[]> {
    return Promise.resolve(this.sql(DEDUP_SQL.listNearDuplicates).all(runId, limit) as NearDuplicateRecord[]);
  }

  nearDuplicatesOfListing(listingId: string): Promise<NearDuplicateRecord[]> {
    return Promise.resolve(this.sql(DEDUP_SQL.ofListing).all(listingId) as NearDuplicateRecord[]);
  }

  embeddingBatches(runId: string): Promise<EmbeddingBatchRow[]> {
    return Promise.resolve(this.sql(DEDUP_SQL.batches).all(runId) as EmbeddingBatchRow[]);
  }

  embeddingUsage(runId: string): Promise<EmbeddingUsage> {
    const u = this.sql(DEDUP_SQL.usage).get(runId) as Omit<EmbeddingUsage, 'nearDuplicates' | 'earlierDay'>;
    const n = this.sql(DEDUP_SQL.nearCounts).get(runId) as { n: number; earlier: number };
    return Promise.resolve({ ...u, nearDuplicates: n.n, earlierDay: n.earlier });
  }
}
