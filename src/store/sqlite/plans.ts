import type { Listing } from '../../feed/listing';
import type { PlanRoute } from '../../scoring/routing';
import { DEDUP_SQL } from '../dedup-store';
import {
  routeColumns,
  routeFromColumns,
  type PlanItem,
  type PlannedListing,
  type PlannedVersion,
  type PlanStore,
  type RejectedLineRecord,
  type RouteColumns,
} from '../store';
import { jsonList, now, type SqliteContext } from './context';

/** Plans on SQLite: row loops inside one transaction, on cached statements. */
export class SqlitePlans implements PlanStore {
  constructor(private readonly c: SqliteContext) {}

  addPlanChunk(runId: string, items: PlannedListing[]): Promise<void> {
    const version = this.c.prepared(
      `INSERT INTO listing_versions (listing_id, content_hash, data_json, first_seen_at) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
    const item = this.c.prepared(
      `INSERT INTO run_items (run_id, seq, listing_id, content_hash, route_model, escalation_model, fallbacks_json)
       VALUES (@runId, @seq, @listingId, @contentHash, @routeModel, @escalationModel, @fallbacksJson)
       ON CONFLICT (run_id, seq) DO UPDATE SET listing_id = excluded.listing_id, content_hash = excluded.content_hash,
         route_model = excluded.route_model, escalation_model = excluded.escalation_model,
         fallbacks_json = excluded.fallbacks_json`,
    );
    const seenAt = now();
    this.c.db.transaction(() => {
      for (const p of items) {
        version.run(p.listing.id, p.contentHash, JSON.stringify(p.listing), seenAt);
        item.run({
          runId,
          seq: p.seq,
          listingId: p.listing.id,
          contentHash: p.contentHash,
          ...routeColumns(p.route),
        });
      }
    })();
    return Promise.resolve();
  }

  addRejectedLines(runId: string, rejected: RejectedLineRecord[]): Promise<void> {
    const stmt = this.c.prepared(
      `INSERT INTO rejected_lines (run_id, line, listing_id, reason) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    this.c.db.transaction(() => {
      for (const r of rejected) stmt.run(runId, r.line, r.listingId ?? null, r.reason);
    })();
    return Promise.resolve();
  }

  planItems(
    runId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<Array<{ seq: number; listingId: string }>> {
    const rows = this.c
      .prepared(
        'SELECT seq, listing_id AS listingId FROM run_items WHERE run_id = ? AND seq >= ? AND seq < ? ORDER BY seq',
      )
      .all(runId, fromSeq, toSeq) as Array<{ seq: number; listingId: string }>;
    return Promise.resolve(rows);
  }

  unfinishedItems(runId: string, fromSeq: number, toSeq: number): Promise<PlanItem[]> {
    const rows = this.c
      .prepared(
        `SELECT i.seq, i.listing_id AS listingId, i.route_model AS routeModel, i.escalation_model AS escalationModel,
           i.fallbacks_json AS fallbacksJson FROM run_items i
         WHERE i.run_id = ? AND i.seq >= ? AND i.seq < ?
           AND NOT EXISTS (SELECT 1 FROM scores s WHERE s.run_id = i.run_id AND s.listing_id = i.listing_id)
           AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.run_id = i.run_id AND d.listing_id = i.listing_id)
           AND ${DEDUP_SQL.notNearDuplicate}
         ORDER BY i.seq`,
      )
      .all(runId, fromSeq, toSeq) as Array<{ seq: number; listingId: string } & RouteColumns>;
    return Promise.resolve(
      rows.map((r) => ({ seq: r.seq, listingId: r.listingId, route: routeFromColumns(r) })),
    );
  }

  setPlanRoutes(runId: string, routes: Array<{ seq: number; route: PlanRoute }>): Promise<void> {
    const stmt = this.c.prepared(
      `UPDATE run_items SET route_model = @routeModel, escalation_model = @escalationModel,
         fallbacks_json = @fallbacksJson WHERE run_id = @runId AND seq = @seq`,
    );
    this.c.db.transaction(() => {
      for (const r of routes) stmt.run({ runId, seq: r.seq, ...routeColumns(r.route) });
    })();
    return Promise.resolve();
  }

  unroutedListings(
    runId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<Array<{ seq: number; listing: Listing }>> {
    const rows = this.c
      .prepared(
        `SELECT i.seq, v.data_json FROM run_items i
         JOIN listing_versions v ON v.listing_id = i.listing_id AND v.content_hash = i.content_hash
         WHERE i.run_id = ? AND i.seq >= ? AND i.seq < ? AND i.route_model IS NULL ORDER BY i.seq`,
      )
      .all(runId, fromSeq, toSeq) as Array<{ seq: number; data_json: string }>;
    return Promise.resolve(rows.map((r) => ({ seq: r.seq, listing: JSON.parse(r.data_json) as Listing })));
  }

  getPlannedListing(runId: string, listingId: string): Promise<PlannedVersion | undefined> {
    const row = this.c
      .prepared(
        `SELECT v.data_json, v.content_hash FROM run_items i
         JOIN listing_versions v ON v.listing_id = i.listing_id AND v.content_hash = i.content_hash
         WHERE i.run_id = ? AND i.listing_id = ?`,
      )
      .get(runId, listingId) as { data_json: string; content_hash: string } | undefined;
    if (!row) return Promise.resolve(undefined);
    return Promise.resolve({ listing: JSON.parse(row.data_json) as Listing, contentHash: row.content_hash });
  }

  getPlannedListings(runId: string, listingIds: string[]): Promise<Map<string, PlannedVersion>> {
    const found = new Map<string, PlannedVersion>();
    if (listingIds.length === 0) return Promise.resolve(found);
    const rows = this.c
      .prepared(
        `SELECT i.listing_id, v.data_json, v.content_hash FROM run_items i
         JOIN listing_versions v ON v.listing_id = i.listing_id AND v.content_hash = i.content_hash
         WHERE i.run_id = ? AND i.listing_id IN (SELECT value FROM json_each(?))`,
      )
      .all(runId, jsonList([...new Set(listingIds)])) as Array<{
      listing_id: string;
      data_json: string;
      content_hash: string;
    }>;
    for (const r of rows)
      found.set(r.listing_id, { listing: JSON.parse(r.data_json) as Listing, contentHash: r.content_hash });
    return Promise.resolve(found);
  }
}
