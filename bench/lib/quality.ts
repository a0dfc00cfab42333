/**
 * How close one set of scores is to a reference set and to the simulator's truth. Pure:
 * maps from listing id to score in, ratios out.
 */

export interface Agreement {
  /** Listings scored by both. */
  compared: number;
  /** Fraction of `compared` within ±1 of the reference. */
  within1: number;
  /** Fraction of `compared` exactly equal to the reference. */
  exact: number;
}

export interface TruthError {
  /** Listings with both a score and a known truth. */
  compared: number;
  /** Mean absolute error against the truth. */
  mae: number;
  /** Fraction exactly equal to the truth. */
  exact: number;
}

export function agreement(
  ours: ReadonlyMap<string, number>,
  reference: ReadonlyMap<string, number>,
): Agreement {
  let compared = 0;
  let within1 = 0;
  let exact = 0;
  for (const [id, score] of ours) {
    const ref = reference.get(id);
    if (ref === undefined) continue;
    compared++;
    if (Math.abs(score - ref) <= 1) within1++;
    if (score === ref) exact++;
  }
  return {
    compared,
    within1: compared ? within1 / compared : 0,
    exact: compared ? exact / compared : 0,
  };
}

export function errorVsTruth(
  ours: ReadonlyMap<string, number>,
  truth: ReadonlyMap<string, number>,
): TruthError {
  let compared = 0;
  let absSum = 0;
  let exact = 0;
  for (const [id, score] of ours) {
    const t = truth.get(id);
    if (t === undefined) continue;
    compared++;
    absSum += Math.abs(score - t);
    if (score === t) exact++;
  }
  return { compared, mae: compared ? absSum / compared : 0, exact: compared ? exact / compared : 0 };
}
