import type { Listing } from '../feed/listing';
import type { PlanRoute } from '../scoring/routing';
import type { DedupStore } from './dedup-store';
import type {
  BudgetStore,
  CacheStore,
  CallFilter,
  CallStore,
  CallVerdict,
  DeadLetterStore,
  NewCallRecord,
  NewDeadLetter,
  PlannedListing,
  PlanStore,
  PreviousRunsFilter,
  QualityStore,
  RejectedLineRecord,
  RunRecord,
  RunStatus,
  RunStore,
  ScorePick,
  ScoreStore,
  Store,
} from './store';
import type { BucketObservation } from './token-bucket';

/** One backend's implementation of each aggregate (see store.ts). */
export interface StoreParts {
  runs: RunStore;
  plans: PlanStore;
  calls: CallStore;
  scores: ScoreStore;
  cache: CacheStore;
  deadLetters: DeadLetterStore;
  budgets: BudgetStore;
  quality: QualityStore;
}

/**
 * A `Store` made of one backend's per-aggregate parts: every method is passed to the part that
 * owns it. Written out once here, for both backends, so that callers keep calling
 * `store.method(…)` and the compiler checks each forward against the aggregate's signature.
 * A backend adds only what is its own: the connection, migrations, closing, dedup.
 */
export abstract class ComposedStore implements Store {
  abstract readonly dedup: DedupStore;
  abstract migrate(): Promise<void>;
  abstract close(): Promise<void>;

  protected constructor(private readonly parts: StoreParts) {}

  // Runs and reports
  upsertRun(run: RunRecord) {
    return this.parts.runs.upsertRun(run);
  }
  getRun(runId: string) {
    return this.parts.runs.getRun(runId);
  }
  finishRun(runId: string, status: RunStatus, summaryJson: string, finishedAt: string) {
    return this.parts.runs.finishRun(runId, status, summaryJson, finishedAt);
  }
  runTotals(runId: string) {
    return this.parts.runs.runTotals(runId);
  }
  runOutcomes(runId: string) {
    return this.parts.runs.runOutcomes(runId);
  }
  callUsage(runId: string) {
    return this.parts.runs.callUsage(runId);
  }
  cacheSourceUsage(runId: string) {
    return this.parts.runs.cacheSourceUsage(runId);
  }
  scoreHistogram(runId: string) {
    return this.parts.runs.scoreHistogram(runId);
  }

  // Plans
  addPlanChunk(runId: string, items: PlannedListing[]) {
    return this.parts.plans.addPlanChunk(runId, items);
  }
  addRejectedLines(runId: string, rejected: RejectedLineRecord[]) {
    return this.parts.plans.addRejectedLines(runId, rejected);
  }
  planItems(runId: string, fromSeq: number, toSeq: number) {
    return this.parts.plans.planItems(runId, fromSeq, toSeq);
  }
  unfinishedItems(runId: string, fromSeq: number, toSeq: number) {
    return this.parts.plans.unfinishedItems(runId, fromSeq, toSeq);
  }
  setPlanRoutes(runId: string, routes: Array<{ seq: number; route: PlanRoute }>) {
    return this.parts.plans.setPlanRoutes(runId, routes);
  }
  unroutedListings(
    runId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<Array<{ seq: number; listing: Listing }>> {
    return this.parts.plans.unroutedListings(runId, fromSeq, toSeq);
  }
  getPlannedListing(runId: string, listingId: string) {
    return this.parts.plans.getPlannedListing(runId, listingId);
  }
  getPlannedListings(runId: string, listingIds: string[]) {
    return this.parts.plans.getPlannedListings(runId, listingIds);
  }

  // Calls
  recordCall(call: NewCallRecord) {
    return this.parts.calls.recordCall(call);
  }
  recordCalls(calls: NewCallRecord[]) {
    return this.parts.calls.recordCalls(calls);
  }
  findReusableCall(runId: string, listingId: string, promptHash: string) {
    return this.parts.calls.findReusableCall(runId, listingId, promptHash);
  }
  getCall(callId: number) {
    return this.parts.calls.getCall(callId);
  }
  setCallVerdict(callId: number, verdict: CallVerdict) {
    return this.parts.calls.setCallVerdict(callId, verdict);
  }
  listCalls(filter: CallFilter) {
    return this.parts.calls.listCalls(filter);
  }

  // Scores and the cache
  persistValidatedScore(runId: string, listingId: string, callId: number) {
    return this.parts.scores.persistValidatedScore(runId, listingId, callId);
  }
  persistValidatedScores(runId: string, picks: ScorePick[]) {
    return this.parts.scores.persistValidatedScores(runId, picks);
  }
  listScores(runId: string, limit: number, offset: number) {
    return this.parts.scores.listScores(runId, limit, offset);
  }
  findValidCalls(promptHashes: string[], excludeRunId?: string) {
    return this.parts.cache.findValidCalls(promptHashes, excludeRunId);
  }
  persistCachedScore(runId: string, listingId: string, sourceCallId: number) {
    return this.parts.cache.persistCachedScore(runId, listingId, sourceCallId);
  }

  // Dead letters
  deadLetter(letter: NewDeadLetter) {
    return this.parts.deadLetters.deadLetter(letter);
  }
  listDeadLetters(runId?: string) {
    return this.parts.deadLetters.listDeadLetters(runId);
  }
  getDeadLetter(runId: string, listingId: string) {
    return this.parts.deadLetters.getDeadLetter(runId, listingId);
  }
  resolveDeadLetter(runId: string, listingId: string, note: string) {
    return this.parts.deadLetters.resolveDeadLetter(runId, listingId, note);
  }
  planFromDeadLetters(runId: string, sourceRunId: string, listingIds?: string[]) {
    return this.parts.deadLetters.planFromDeadLetters(runId, sourceRunId, listingIds);
  }

  // Budgets and token buckets
  setBudgetLimit(scope: string, limitPico: number) {
    return this.parts.budgets.setBudgetLimit(scope, limitPico);
  }
  getBudget(scope: string) {
    return this.parts.budgets.getBudget(scope);
  }
  reserveBudget(scopes: string[], amountPico: number) {
    return this.parts.budgets.reserveBudget(scopes, amountPico);
  }
  settleBudget(scopes: string[], reservedPico: number, actualPico: number) {
    return this.parts.budgets.settleBudget(scopes, reservedPico, actualPico);
  }
  takeTokens(key: string, tokens: number, perMinute?: number) {
    return this.parts.budgets.takeTokens(key, tokens, perMinute);
  }
  observeTokens(key: string, observation: BucketObservation) {
    return this.parts.budgets.observeTokens(key, observation);
  }

  // The quality gate
  runQualityCounts(runId: string) {
    return this.parts.quality.runQualityCounts(runId);
  }
  previousRuns(filter: PreviousRunsFilter) {
    return this.parts.quality.previousRuns(filter);
  }
}
