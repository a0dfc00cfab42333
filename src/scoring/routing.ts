import type { ListingFeatures, TaskFeatures } from './routing-features';

export { approxTokens, listingFeatures, taskFeatures } from './routing-features';
export type { ListingFeatures, TaskFeatures } from './routing-features';

export type Tier = 'small' | 'large';

/**
 * One feature's share of a listing's complexity: nothing at `from`, `weight` at `full` and
 * beyond, linear in between. `full` may lie below `from` for features where less is harder
 * (a shorter description says less).
 */
export interface Ramp {
  from: number;
  full: number;
  weight: number;
}

/** How much each feature adds to a listing's complexity; see {@link complexityOf}. */
export interface ComplexityWeights {
  /** Size: the estimated prompt tokens of the listing. */
  tokens: Ramp;
  /** Non-English text counts as this many times longer: small models lose nuance in translation. */
  nonEnglishTokenFactor: number;
  /** A long list of requirements needs weighing, which small models do poorly. */
  requirements: Ramp;
  /** No requirements list: the model has to dig them out of the prose. */
  noRequirementsList: number;
  /** No structured salary: pay has to be guessed or found in the text. */
  noSalary: number;
  /** The longest description paragraph, in characters: a wall of text is hard to take apart. */
  wallOfText: Ramp;
  /** The description's length, in characters, with `full` below `from`: too short to judge well. */
  shortDescription: Ramp;
  /** The `remote` flag contradicts the text. */
  remoteConflict: number;
  /** The title names a seniority level the `seniority` field contradicts. */
  seniorityConflict: number;
  /** The task: must-have lines in the criteria, each one a judgement the model has to make. */
  mustHaves: Ramp;
  /** The task: the criteria's estimated tokens. */
  criteriaTokens: Ramp;
}

export interface RoutingConfig {
  models: Record<Tier, string>;
  /** A model that keeps failing (404, a 5xx streak) is replaced by this one for the rest of the run. */
  fallbacks: Record<string, string>;
  /** A listing whose complexity reaches this score goes to the large model. */
  largeAtComplexity: number;
  complexity: ComplexityWeights;
}

/**
 * Calibrated on the generated feed (`generateFeed` seed 7, 2,000 listings, default criteria):
 * about 6 % of listings go large. They are the longer ones, so priced by tokens the routed run
 * costs about 18 % of an all-large one before escalations, batching and caching. Only size
 * and requirements reach the threshold alone; the structure and ambiguity weights tip a
 * listing over when they come together, or on top of a mid-sized text.
 */
export const DEFAULT_ROUTING: RoutingConfig = {
  models: { small: 'gpt-4o-mini', large: 'gpt-4o' },
  fallbacks: { 'gpt-4o-mini': 'gpt-4.1-mini', 'gpt-4o': 'gpt-4.1' },
  largeAtComplexity: 1,
  complexity: {
    tokens: { from: 600, full: 1800, weight: 1 },
    nonEnglishTokenFactor: 1.75,
    requirements: { from: 8, full: 13, weight: 1 },
    noRequirementsList: 0.15,
    noSalary: 0.1,
    wallOfText: { from: 600, full: 2000, weight: 0.4 },
    shortDescription: { from: 300, full: 100, weight: 0.3 },
    remoteConflict: 0.35,
    seniorityConflict: 0.35,
    mustHaves: { from: 5, full: 15, weight: 0.5 },
    criteriaTokens: { from: 600, full: 2400, weight: 0.25 },
  },
};

/** The criteria routing assumes when none are given: a task that adds nothing to any listing. */
export const NO_TASK_FEATURES: TaskFeatures = { mustHaves: 0, approxTokens: 0 };

export function ramp(value: number, r: Ramp): number {
  if (r.full === r.from) return value >= r.full ? r.weight : 0;
  return r.weight * Math.min(1, Math.max(0, (value - r.from) / (r.full - r.from)));
}

export interface Contribution {
  feature: keyof ComplexityWeights | 'language';
  points: number;
  /** What about the listing or task earned the points, for the route's reason. */
  label: string;
}

export interface Complexity {
  score: number;
  /** Every feature that added something, largest first. */
  contributions: Contribution[];
}

/** The weighted sum of a listing's and a task's features: how hard the task is, on the threshold's scale. */
export function complexityOf(
  f: ListingFeatures,
  cfg: RoutingConfig = DEFAULT_ROUTING,
  task: TaskFeatures = NO_TASK_FEATURES,
): Complexity {
  const w = cfg.complexity;
  const size = ramp(f.approxTokens, w.tokens);
  const flag = (on: boolean, weight: number) => (on ? weight : 0);
  const all: Contribution[] = [
    { feature: 'tokens', points: size, label: `~${f.approxTokens} tokens` },
    {
      feature: 'language',
      // Counted apart from size, so the reason says which of the two weighed.
      points: f.language === 'en' ? 0 : ramp(f.approxTokens * w.nonEnglishTokenFactor, w.tokens) - size,
      label: `non-English (${f.language})`,
    },
    {
      feature: 'requirements',
      points: ramp(f.requirements, w.requirements),
      label: `${f.requirements} requirements`,
    },
    {
      feature: 'noRequirementsList',
      points: flag(f.requirements === 0, w.noRequirementsList),
      label: 'no requirements list',
    },
    { feature: 'noSalary', points: flag(!f.hasSalary, w.noSalary), label: 'no salary' },
    {
      feature: 'wallOfText',
      points: ramp(f.longestParagraphChars, w.wallOfText),
      label: `${f.longestParagraphChars}-char paragraph`,
    },
    {
      feature: 'shortDescription',
      points: ramp(f.descriptionChars, w.shortDescription),
      label: `${f.descriptionChars}-char description`,
    },
    {
      feature: 'remoteConflict',
      points: flag(f.remoteConflict, w.remoteConflict),
      label: 'remote flag contradicts text',
    },
    {
      feature: 'seniorityConflict',
      points: flag(f.seniorityConflict, w.seniorityConflict),
      label: 'title contradicts seniority',
    },
    {
      feature: 'mustHaves',
      points: ramp(task.mustHaves, w.mustHaves),
      label: `${task.mustHaves} must-haves`,
    },
    {
      feature: 'criteriaTokens',
      points: ramp(task.approxTokens, w.criteriaTokens),
      label: `~${task.approxTokens}-token criteria`,
    },
  ];
  const contributions = all.filter((c) => c.points > 0).sort((a, b) => b.points - a.points);
  return { score: contributions.reduce((s, c) => s + c.points, 0), contributions };
}

export interface RouteDecision {
  tier: Tier;
  model: string;
  reason: string;
}

const REASON_FEATURES = 3;

/**
 * Picks the cheapest tier that can do the task, before any call is made: the large model when
 * the complexity of the listing and the task reaches `largeAtComplexity`. The reason names the
 * score and its largest contributions. `task` defaults to criteria that add nothing.
 */
export function routeListing(
  features: ListingFeatures,
  cfg: RoutingConfig = DEFAULT_ROUTING,
  task: TaskFeatures = NO_TASK_FEATURES,
): RouteDecision {
  // One model for both tiers (an all-large reference run): large, so nothing escalates to itself.
  if (cfg.models.small === cfg.models.large) {
    return {
      tier: 'large',
      model: cfg.models.large,
      reason: `one model for both tiers (${cfg.models.large})`,
    };
  }
  const { score, contributions } = complexityOf(features, cfg, task);
  // Weights such as 0.15 + 0.35 sum with rounding error; a score that prints as the threshold meets it.
  const tier: Tier = score >= cfg.largeAtComplexity - 1e-9 ? 'large' : 'small';
  const why = contributions
    .slice(0, REASON_FEATURES)
    .map((c) => `${c.label} +${c.points.toFixed(2)}`)
    .join(', ');
  const compare = tier === 'large' ? '≥' : '<';
  return {
    tier,
    model: cfg.models[tier],
    reason: `complexity ${score.toFixed(2)} ${compare} ${cfg.largeAtComplexity}: ${why || 'short, simple listing'}`,
  };
}

/** Every model a run may call (both tiers and their fallbacks): each needs a worker on its queue and a price. */
export function servedModels(cfg: RoutingConfig): string[] {
  return [...new Set([cfg.models.small, cfg.models.large, ...Object.values(cfg.fallbacks)])];
}

/**
 * What a plan row carries about its listing's route: decided once, at planning, so no step
 * after it routes again. `escalation` is where a low-confidence answer goes (null on the large
 * tier); `fallbacks` holds the replacements for the route's own models and theirs in turn.
 */
export interface PlanRoute {
  model: string;
  escalation: string | null;
  fallbacks: Record<string, string>;
}

/** The one routing decision: the tier's model, its escalation target and the fallbacks that may stand in. */
export function planRoute(
  features: ListingFeatures,
  cfg: RoutingConfig = DEFAULT_ROUTING,
  task: TaskFeatures = NO_TASK_FEATURES,
): PlanRoute & { reason: string } {
  const decision = routeListing(features, cfg, task);
  const escalation = decision.tier === 'small' ? cfg.models.large : null;
  const fallbacks: Record<string, string> = {};
  const reach = [decision.model, ...(escalation ? [escalation] : [])];
  // A fallback may have its own fallback; the walk is bounded because each model is visited once.
  while (reach.length > 0) {
    const model = reach.shift() as string;
    const to = cfg.fallbacks[model];
    if (to === undefined || model in fallbacks) continue;
    fallbacks[model] = to;
    reach.push(to);
  }
  return { model: decision.model, escalation, fallbacks, reason: decision.reason };
}
