/**
 * Money is counted in integer pico-dollars (10⁻¹² USD) everywhere it is stored or summed, so
 * a day of sub-cent calls adds up exactly; dollars exist only at the edges (logs, metrics,
 * reports, flags). These two functions are the only place the scale is written.
 */
export const PICO_PER_USD = 1e12;

export function picoToUsd(pico: number): number {
  return pico / PICO_PER_USD;
}

/** Rounded to a whole pico-dollar: a budget given in dollars becomes an exact integer. */
export function usdToPico(usd: number): number {
  return Math.round(usd * PICO_PER_USD);
}

/** The budgets a call of a run is held to: the run's own and its day's, in that order. */
export function budgetScopes(runId: string, runDate: string): string[] {
  return [`run:${runId}`, `day:${runDate}`];
}
