import type { GateItem, ValidationResult } from '../shared/messages';
import { belowEscalation } from './escalation';

/**
 * Which call, if any, becomes the listing's score once the answer to `item.callId` is judged:
 * a valid answer unless it is held for escalation (below `holdBelow`); an invalid one falls
 * back to the earlier valid answer named by `otherwise`, else nothing is persisted. The store
 * still refuses any call not marked valid, whatever this says.
 */
export function callToPersist(item: GateItem, verdict: ValidationResult): number | null {
  if (verdict.valid) {
    return belowEscalation(verdict.confidence, item.holdBelow) ? null : item.callId;
  }
  return item.otherwise ?? null;
}
