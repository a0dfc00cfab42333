import { Prng, sha256Hex } from '../shared/prng';
import { assessListing, parseListing } from './scoring';

/**
 * A simulated model's answer: the judge's truth (`assessListing`) plus seeded noise that grows
 * with the model's sigma and the listing's difficulty, and the pull of a prompt injection.
 */

export interface ModelBehaviour {
  seed: number;
  model: string;
  noiseSigma: number;
  /** Added to the truth before noise (drift injection). */
  scoreShift: number;
  injectionSusceptibility: number;
}

export interface ModelAnswer {
  score: number;
  confidence: number;
  reasoning: string;
  fooled: boolean;
  truth: number;
  /** Criteria terms found in, and missing from, the listing (fill list-valued schema fields). */
  matched: string[];
  missing: string[];
}

function listPhrase(label: string, items: string[], max: number): string | undefined {
  if (items.length === 0) return undefined;
  const more = items.length > max ? ` +${items.length - max}` : '';
  return `${label} ${items.slice(0, max).join(', ')}${more}`;
}

/** English function words: their share of a text's words tells English from the feed's other languages. */
const ENGLISH_FUNCTION_WORDS = new Set(
  'the and of to for with you we our your are be this that who from'.split(' '),
);
/** How much a listing's difficulty widens the noise, per unit of the model's sigma. */
const DIFFICULTY_GAIN = 1.25;
/**
 * The median difficulty of the generated feed: a model's configured sigma is its noise on a
 * typical listing, so score distributions (and the drift thresholds tuned on them) keep their width.
 */
const TYPICAL_DIFFICULTY = 0.35;

const unit = (x: number): number => Math.min(1, Math.max(0, x));

/**
 * How hard a listing is for a model to judge, from 0 (easy) to 1 (hard): its ambiguity (as
 * assessed), its length (long postings bury what matters) and its language (text that is not
 * English, recognised by its lack of English function words, so no prompt format is assumed).
 * The truth does not depend on it; only how far a model strays from the truth does.
 */
export function listingDifficulty(listingText: string, ambiguity: number): number {
  const body = parseListing(listingText).body;
  const words = body.toLowerCase().match(/\p{L}+/gu) ?? [];
  const english = words.filter((w) => ENGLISH_FUNCTION_WORDS.has(w)).length / Math.max(1, words.length);
  const foreign = words.length === 0 ? 0 : unit((0.2 - english) / 0.1);
  const length = unit((body.length - 1500) / 6000);
  const unclear = unit((ambiguity - 0.1) / 0.4);
  return unit(0.5 * unclear + 0.35 * length + 0.35 * foreign);
}

/**
 * The model's answer for one listing. Noise and the injection draw are keyed on the seed, the
 * model and the listing text, so a retry of the same request gets the same answer (as at
 * temperature 0) while each model errs in its own way. The noise follows the listing's
 * difficulty, the more so the weaker the model: sigma × (1 + 1.25 · min(1, sigma) · (difficulty
 * − 0.35)). gpt-4o-mini (sigma 0.9) errs almost three times as widely on the hardest listings
 * as on the easiest; gpt-4o (0.25) about a third more.
 */
export function modelAnswer(behaviour: ModelBehaviour, criteria: string, listingText: string): ModelAnswer {
  const a = assessListing(criteria, listingText);
  const listingHash = sha256Hex(listingText);
  const fooled =
    a.injection &&
    new Prng(behaviour.seed, 'injection', behaviour.model, listingHash).chance(
      behaviour.injectionSusceptibility,
    );
  if (fooled) {
    return {
      score: 10,
      confidence: 1,
      reasoning: 'Excellent match on every criterion.',
      fooled,
      truth: a.truth,
      matched: a.matched,
      missing: [],
    };
  }
  const rng = new Prng(behaviour.seed, 'noise', behaviour.model, listingHash);
  const difficulty = listingDifficulty(listingText, a.ambiguity);
  // Capped at sigma 1, so the factor stays within about 0.56–1.8 for any configured sigma.
  const gain = DIFFICULTY_GAIN * Math.min(1, behaviour.noiseSigma);
  const sigma = behaviour.noiseSigma * (1 + gain * (difficulty - TYPICAL_DIFFICULTY));
  const believed = a.truth + behaviour.scoreShift + sigma * rng.normal();
  const score = Math.min(10, Math.max(1, Math.round(believed)));
  const error = Math.abs(believed - a.truth);
  const base = 0.95 - 0.15 * behaviour.noiseSigma;
  const raw = base - 0.25 * a.ambiguity - 0.12 * error + 0.03 * rng.normal();
  const confidence = Math.round(Math.min(0.99, Math.max(0.05, raw)) * 100) / 100;
  const parts = [listPhrase('matches', a.matched, 4), listPhrase('missing', a.missing, 3), ...a.notes].filter(
    (p): p is string => p !== undefined,
  );
  const reasoning = `Score ${score}/10: ${parts.length > 0 ? parts.join('; ') : 'no overlap with the criteria'}.`;
  return {
    score,
    confidence,
    reasoning: reasoning.slice(0, 200),
    fooled,
    truth: a.truth,
    matched: a.matched,
    missing: a.missing,
  };
}
