/**
 * FrugalGPT's cascade, the one rule both routes follow: a valid answer from the small model
 * below `escalateBelow` confidence is asked again of the large model; 0 turns the cascade off.
 * Pure, so the workflows, the gate and the batch steps share it.
 */
export function belowEscalation(confidence: number, escalateBelow: number | undefined): boolean {
  return escalateBelow !== undefined && escalateBelow > 0 && confidence < escalateBelow;
}

/** Only the small model's answers escalate, and only when a distinct large model exists. */
export function mayEscalate(model: string, models: { small: string; large: string }): boolean {
  return models.small !== models.large && model === models.small;
}
