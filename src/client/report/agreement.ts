import type { ScoreRecord } from '../../store/store';

/** A score as the agreement comparison needs it: without the reasoning text, so a large run's scores fit in memory. */
export type AgreementScore = Pick<ScoreRecord, 'listingId' | 'score' | 'model' | 'source' | 'contentHash'>;

export interface AgreementRow {
  /** Listings scored in both runs, for the same listing content. */
  compared: number;
  /** Shares of `compared` with the same score, and with scores at most one apart. */
  exact: number;
  withinOne: number;
  meanAbsDiff: number;
}

export type Producer = 'small' | 'large' | 'cache' | 'other';

export interface Agreement extends AgreementRow {
  referenceRunId: string;
  /** The models behind the reference's compared scores, most listings first: all-large is the point. */
  referenceModels: Array<{ model: string; listings: number }>;
  /** By what produced this run's score: a model by tier (`other`: a fallback), or the cache. */
  byProducer: Array<AgreementRow & { producer: Producer; model: string | null }>;
  onlyInRun: number;
  onlyInReference: number;
  /** Scored in both runs, but for different versions of the listing: not compared. */
  contentChanged: number;
}

export class AgreementError extends Error {
  override name = 'AgreementError';
}

export interface AgreementInput {
  runId: string;
  referenceRunId: string;
  run: AgreementScore[];
  reference: AgreementScore[];
  /** The deployment's tiers, to name what produced each of the run's scores. */
  models: { small: string; large: string };
}

interface Tally {
  compared: number;
  exact: number;
  withinOne: number;
  absDiff: number;
}

const rowOf = (t: Tally): AgreementRow => ({
  compared: t.compared,
  exact: t.exact / t.compared,
  withinOne: t.withinOne / t.compared,
  meanAbsDiff: t.absDiff / t.compared,
});

const PRODUCER_ORDER: Producer[] = ['small', 'large', 'other', 'cache'];

/**
 * Joins the run's scores with a reference run's (typically all-large) by listing id, and
 * measures how often they agree. Listings whose content differs between the two runs are
 * counted apart, not compared. Throws an AgreementError when nothing can be compared.
 */
export function computeAgreement(input: AgreementInput): Agreement {
  const { runId, referenceRunId, models } = input;
  if (input.reference.length === 0) {
    throw new AgreementError(`reference run ${referenceRunId} has no scores to compare with`);
  }
  const reference = new Map(input.reference.map((s) => [s.listingId, s]));
  const producerOf = (s: AgreementScore): Producer =>
    s.source === 'cache'
      ? 'cache'
      : s.model === models.small
        ? 'small'
        : s.model === models.large
          ? 'large'
          : 'other';
  const empty = (): Tally => ({ compared: 0, exact: 0, withinOne: 0, absDiff: 0 });
  const total = empty();
  const groups = new Map<string, { producer: Producer; model: string | null; tally: Tally }>();
  const refModels = new Map<string, number>();
  const seen = new Set<string>();
  let inBoth = 0;
  let contentChanged = 0;
  for (const s of input.run) {
    if (seen.has(s.listingId)) continue;
    seen.add(s.listingId);
    const ref = reference.get(s.listingId);
    if (!ref) continue;
    inBoth++;
    if (ref.contentHash !== s.contentHash) {
      contentChanged++;
      continue;
    }
    const producer = producerOf(s);
    const model = producer === 'cache' ? null : s.model;
    const key = `${producer}\0${model ?? ''}`;
    const group = groups.get(key) ?? { producer, model, tally: empty() };
    groups.set(key, group);
    const diff = Math.abs(s.score - ref.score);
    for (const t of [total, group.tally]) {
      t.compared++;
      t.exact += diff === 0 ? 1 : 0;
      t.withinOne += diff <= 1 ? 1 : 0;
      t.absDiff += diff;
    }
    refModels.set(ref.model, (refModels.get(ref.model) ?? 0) + 1);
  }
  if (total.compared === 0) {
    const changed = contentChanged > 0 ? `; ${contentChanged} changed content between the runs` : '';
    throw new AgreementError(
      `run ${runId} and reference run ${referenceRunId} have no scored listings in common ` +
        `(${seen.size} and ${reference.size} scored listings${changed})`,
    );
  }
  return {
    referenceRunId,
    ...rowOf(total),
    referenceModels: [...refModels]
      .map(([model, listings]) => ({ model, listings }))
      .sort((a, b) => b.listings - a.listings || a.model.localeCompare(b.model)),
    byProducer: [...groups.values()]
      .map((g) => ({ producer: g.producer, model: g.model, ...rowOf(g.tally) }))
      .sort(
        (a, b) =>
          PRODUCER_ORDER.indexOf(a.producer) - PRODUCER_ORDER.indexOf(b.producer) || b.compared - a.compared,
      ),
    onlyInRun: seen.size - inBoth,
    onlyInReference: reference.size - inBoth,
    contentChanged,
  };
}
