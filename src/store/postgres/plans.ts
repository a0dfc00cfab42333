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
import { now, type PgContext } from './context';

const SQL = {
  insertVersions: `INSERT INTO listing_versions (listing_id, content_hash, data_json, first_seen_at)
    SELECT v.listing_id, v.content_hash, v.data_json, $4
    FROM unnest($1::text[], $2::text[], $3::json[]) AS v (listing_id, content_hash, data_json)
    ON CONFLICT DO NOTHING`,

  upsertRunItems: `INSERT INTO run_items (run_id, seq, listing_id, content_hash, route_model, escalation_model,
      fallbacks_json)
    SELECT $1, i.seq, i.listing_id, i.content_hash, i.route_model, i.escalation_model, i.fallbacks_json
    FROM unnest($2::integer[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
      AS i (seq, listing_id, content_hash, route_model, escalation_model, fallbacks_json)
    ON CONFLICT (run_id, seq) DO UPDATE SET listing_id = excluded.listing_id, content_hash = excluded.content_hash,
      route_model = excluded.route_model, escalation_model = excluded.escalation_model,
      fallbacks_json = excluded.fallbacks_json`,

  setPlanRoutes: `UPDATE run_items SET route_model = r.route_model, escalation_model = r.escalation_model,
      fallbacks_json = r.fallbacks_json
    FROM unnest($2::integer[], $3::text[], $4::text[], $5::text[])
      AS r (seq, route_model, escalation_model, fallbacks_json)
    WHERE run_items.run_id = $1 AND run_items.seq = r.seq`,

  unroutedListings: `SELECT i.seq, v.data_json AS listing FROM run_items i
    JOIN listing_versions v ON v.listing_id = i.listing_id AND v.content_hash = i.content_hash
    WHERE i.run_id = $1 AND i.seq >= $2 AND i.seq < $3 AND i.route_model IS NULL ORDER BY i.seq`,

  insertRejected: `INSERT INTO rejected_lines (run_id, line, listing_id, reason)
    SELECT $1, r.line, r.listing_id, r.reason
    FROM unnest($2::integer[], $3::text[], $4::text[]) AS r (line, listing_id, reason)
    ON CONFLICT DO NOTHING`,

  planItems: `SELECT seq, listing_id AS "listingId" FROM run_items
    WHERE run_id = $1 AND seq >= $2 AND seq < $3 ORDER BY seq`,

  unfinishedItems: `SELECT i.seq, i.listing_id AS "listingId", i.route_model AS "routeModel",
      i.escalation_model AS "escalationModel", i.fallbacks_json AS "fallbacksJson" FROM run_items i
    WHERE i.run_id = $1 AND i.seq >= $2 AND i.seq < $3
      AND NOT EXISTS (SELECT 1 FROM scores s WHERE s.run_id = i.run_id AND s.listing_id = i.listing_id)
      AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.run_id = i.run_id AND d.listing_id = i.listing_id)
      AND ${DEDUP_SQL.notNearDuplicate}
    ORDER BY i.seq`,

  // data_json is `json`, so pg has already parsed it into the listing.
  plannedListing: `SELECT v.data_json AS listing, v.content_hash AS "contentHash" FROM run_items i
    JOIN listing_versions v ON v.listing_id = i.listing_id AND v.content_hash = i.content_hash
    WHERE i.run_id = $1 AND i.listing_id = $2`,

  plannedListings: `SELECT i.listing_id AS "listingId", v.data_json AS listing, v.content_hash AS "contentHash"
    FROM run_items i
    JOIN listing_versions v ON v.listing_id = i.listing_id AND v.content_hash = i.content_hash
    WHERE i.run_id = $1 AND i.listing_id = ANY($2::text[])`,
} as const;

/** Plans on PostgreSQL: one statement per table with array parameters (UNNEST), not one per row. */
export class PostgresPlans implements PlanStore {
  constructor(private readonly c: PgContext) {}

  async addPlanChunk(runId: string, items: PlannedListing[]): Promise<void> {
    if (items.length === 0) return;
    // A statement may not upsert the same key twice, so duplicates collapse the way SQLite's
    // row-by-row loop resolves them: the first version of a listing wins (DO NOTHING), the last
    // row for a seq wins (DO UPDATE). Sorting gives concurrent planners the same lock order, so
    // they queue instead of deadlock.
    const versionKey = (p: PlannedListing) => `${p.listing.id}\0${p.contentHash}`;
    const versions = [...uniqueBy(items, versionKey, 'first')].sort((a, b) =>
      versionKey(a) < versionKey(b) ? -1 : 1,
    );
    const rows = [...uniqueBy(items, (p) => String(p.seq), 'last')].sort((a, b) => a.seq - b.seq);
    await this.c.transaction(async (client) => {
      await client.query(SQL.insertVersions, [
        versions.map((p) => p.listing.id),
        versions.map((p) => p.contentHash),
        versions.map((p) => JSON.stringify(p.listing)),
        now(),
      ]);
      const routes = rows.map((p) => routeColumns(p.route));
      await client.query(SQL.upsertRunItems, [
        runId,
        rows.map((p) => p.seq),
        rows.map((p) => p.listing.id),
        rows.map((p) => p.contentHash),
        routes.map((r) => r.routeModel),
        routes.map((r) => r.escalationModel),
        routes.map((r) => r.fallbacksJson),
      ]);
    });
  }

  async addRejectedLines(runId: string, rejected: RejectedLineRecord[]): Promise<void> {
    if (rejected.length === 0) return;
    await this.c.pool.query(SQL.insertRejected, [
      runId,
      rejected.map((r) => r.line),
      rejected.map((r) => r.listingId ?? null),
      rejected.map((r) => r.reason),
    ]);
  }

  async unfinishedItems(runId: string, fromSeq: number, toSeq: number): Promise<PlanItem[]> {
    const rows = (
      await this.c.pool.query<{ seq: number; listingId: string } & RouteColumns>(SQL.unfinishedItems, [
        runId,
        fromSeq,
        toSeq,
      ])
    ).rows;
    return rows.map((r) => ({ seq: r.seq, listingId: r.listingId, route: routeFromColumns(r) }));
  }

  async setPlanRoutes(runId: string, routes: Array<{ seq: number; route: PlanRoute }>): Promise<void> {
    if (routes.length === 0) return;
    const cols = routes.map((r) => routeColumns(r.route));
    await this.c.pool.query(SQL.setPlanRoutes, [
      runId,
      routes.map((r) => r.seq),
      cols.map((c) => c.routeModel),
      cols.map((c) => c.escalationModel),
      cols.map((c) => c.fallbacksJson),
    ]);
  }

  async unroutedListings(
    runId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<Array<{ seq: number; listing: Listing }>> {
    // data_json is `json`, so pg has already parsed it into the listing.
    return (
      await this.c.pool.query<{ seq: number; listing: Listing }>(SQL.unroutedListings, [
        runId,
        fromSeq,
        toSeq,
      ])
    ).rows;
  }

  async planItems(
    runId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<Array<{ seq: number; listingId: string }>> {
    return (
      await this.c.pool.query<{ seq: number; listingId: string }>(SQL.planItems, [runId, fromSeq, toSeq])
    ).rows;
  }

  async getPlannedListing(runId: string, listingId: string): Promise<PlannedVersion | undefined> {
    return this.c.one<PlannedVersion>(SQL.plannedListing, [runId, listingId]);
  }

  async getPlannedListings(runId: string, listingIds: string[]): Promise<Map<string, PlannedVersion>> {
    if (listingIds.length === 0) return new Map();
    const { rows } = await this.c.pool.query<PlannedVersion & { listingId: string }>(SQL.plannedListings, [
      runId,
      [...new Set(listingIds)],
    ]);
    return new Map(rows.map((r) => [r.listingId, { listing: r.listing, contentHash: r.contentHash }]));
  }
}

function uniqueBy<T>(items: T[], key: (item: T) => string, keep: 'first' | 'last'): Iterable<T> {
  const byKey = new Map<string, T>();
  for (const item of items) if (keep === 'last' || !byKey.has(key(item))) byKey.set(key(item), item);
  return byKey.values();
}
