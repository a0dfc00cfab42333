import type { Listing } from '../feed/listing';

export type Tier = 'small' | 'large';

export interface RoutingConfig {
  models: Record<Tier, string>;
  /** A model that keeps failing (404, a 5xx streak) is replaced by this one for the rest of the run. */
  fallbacks: Record<string, string>;
  /** Above this estimated prompt size a listing goes to the large model. */
  largeAboveTokens: number;
  /** A long list of requirements needs weighing, which small models do poorly. */
  largeAboveRequirements: number;
  /** Non-English listings go large above this smaller size: small models lose nuance in translation. */
  largeNonEnglishAboveTokens: number;
}

export const DEFAULT_ROUTING: RoutingConfig = {
  models: { small: 'gpt-4o-mini', large: 'gpt-4o' },
  fallbacks: { 'gpt-4o-mini': 'gpt-4.1-mini', 'gpt-4o': 'gpt-4.1' },
  largeAboveTokens: 1500,
  largeAboveRequirements: 12,
  largeNonEnglishAboveTokens: 700,
};

export interface ListingFeatures {
  approxTokens: number;
  language: string;
  requirements: number;
}

/** About four characters per token for Latin scripts; routing needs a size class, not a count. */
export function listingFeatures(l: Listing): ListingFeatures {
  const chars = l.title.length + l.description.length + l.requirements.join(' ').length + l.location.length;
  return { approxTokens: Math.ceil(chars / 4), language: l.language, requirements: l.requirements.length };
}

export interface RouteDecision {
  tier: Tier;
  model: string;
  reason: string;
}

/** Picks the cheapest tier that can do the task, before any call is made. */
export function routeListing(features: ListingFeatures, cfg: RoutingConfig = DEFAULT_ROUTING): RouteDecision {
  const large = (reason: string): RouteDecision => ({ tier: 'large', model: cfg.models.large, reason });
  if (features.approxTokens > cfg.largeAboveTokens)
    return large(`long listing (~${features.approxTokens} tokens)`);
  if (features.requirements > cfg.largeAboveRequirements) {
    return large(`${features.requirements} requirements to weigh`);
  }
  if (features.language !== 'en' && features.approxTokens > cfg.largeNonEnglishAboveTokens) {
    return large(`non-English (${features.language}) and ~${features.approxTokens} tokens`);
  }
  return { tier: 'small', model: cfg.models.small, reason: 'short, simple listing' };
}

/** Every model a run may call (both tiers and their fallbacks): each needs a worker on its queue and a price. */
export function servedModels(cfg: RoutingConfig): string[] {
  return [...new Set([cfg.models.small, cfg.models.large, ...Object.values(cfg.fallbacks)])];
}
