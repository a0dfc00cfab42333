import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { RunProgress, ShardProgress } from '../shared/messages';

export const progressQuery = defineQuery<RunProgress>('progress');

/** Shards report cumulative (not delta) counts, so a repeated signal cannot double-count. */
export const shardProgressSignal = defineSignal<[ShardProgress]>('shardProgress');

/**
 * Custom search attributes: what lets a person find and read a run in the Web UI without
 * opening payloads. The dev server registers them at start (see src/dev); a cluster needs
 * `temporal operator search-attribute create` once (README).
 */
export const searchAttributes = {
  RunDate: defineSearchAttributeKey('RunDate', SearchAttributeType.KEYWORD),
  RunPhase: defineSearchAttributeKey('RunPhase', SearchAttributeType.KEYWORD),
  ListingsTotal: defineSearchAttributeKey('ListingsTotal', SearchAttributeType.INT),
  ListingsScored: defineSearchAttributeKey('ListingsScored', SearchAttributeType.INT),
  ListingsDeadLettered: defineSearchAttributeKey('ListingsDeadLettered', SearchAttributeType.INT),
  CostUsd: defineSearchAttributeKey('CostUsd', SearchAttributeType.DOUBLE),
} as const;

export const searchAttributeKeys = Object.values(searchAttributes);
