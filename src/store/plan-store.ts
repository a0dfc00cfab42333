import type { Listing } from '../feed/listing';
import type { PlanRoute } from '../scoring/routing';

/** A run's plan: the listing versions it saw, one row per listing with its route, and rejected lines. */
export interface PlanStore {
  /** Stores listing versions and the run's plan rows; safe to call again with the same rows. */
  addPlanChunk(runId: string, items: PlannedListing[]): Promise<void>;
  addRejectedLines(runId: string, rejected: RejectedLineRecord[]): Promise<void>;
  planItems(
    runId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<Array<{ seq: number; listingId: string }>>;
  /** The plan rows in a range still without a score or a dead letter: what a (re)started shard must do. */
  unfinishedItems(runId: string, fromSeq: number, toSeq: number): Promise<PlanItem[]>;
  /** Sets the route of plan rows planned without one (a re-run's plan copies listings, not routes). */
  setPlanRoutes(runId: string, routes: Array<{ seq: number; route: PlanRoute }>): Promise<void>;
  /** The listings of a seq range whose plan rows have no route yet, in seq order. */
  unroutedListings(
    runId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<Array<{ seq: number; listing: Listing }>>;
  getPlannedListing(runId: string, listingId: string): Promise<PlannedVersion | undefined>;
  /**
   * `getPlannedListing` for many listings in one query, by listing id; ids the run did not plan
   * are absent. For steps that walk thousands of lines: callers pass a chunk at a time (see
   * `chunked` in paging.ts) so one statement stays small.
   */
  getPlannedListings(runId: string, listingIds: string[]): Promise<Map<string, PlannedVersion>>;
}

/** The listing version a plan row points at. */
export interface PlannedVersion {
  listing: Listing;
  contentHash: string;
}

export interface PlannedListing {
  /** 0.. for listings to score; negative for cache hits, which no shard visits. */
  seq: number;
  listing: Listing;
  contentHash: string;
  /** Decided at planning (see `planRoute`); absent only where a later routing step sets it. */
  route?: PlanRoute;
}

/** A route as the plan row's three columns hold it (both stores share the encoding). */
export interface RouteColumns {
  routeModel: string | null;
  escalationModel: string | null;
  fallbacksJson: string | null;
}

export function routeColumns(route: PlanRoute | undefined): RouteColumns {
  return route
    ? {
        routeModel: route.model,
        escalationModel: route.escalation,
        fallbacksJson: JSON.stringify(route.fallbacks),
      }
    : { routeModel: null, escalationModel: null, fallbacksJson: null };
}

export function routeFromColumns(c: RouteColumns): PlanRoute | null {
  if (c.routeModel === null) return null;
  return {
    model: c.routeModel,
    escalation: c.escalationModel,
    fallbacks: c.fallbacksJson ? (JSON.parse(c.fallbacksJson) as Record<string, string>) : {},
  };
}

/** A plan row as a shard sees it: the listing's id and the route planning chose (null: not routed yet). */
export interface PlanItem {
  seq: number;
  listingId: string;
  route: PlanRoute | null;
}

export interface RejectedLineRecord {
  line: number;
  listingId?: string | undefined;
  reason: string;
}
