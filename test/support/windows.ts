/** The most timestamps (sorted, in ms) that fall within any window of `windowMs`. */
export function busiestWindow(sorted: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** Where the busiest window starts (ms, as the timestamps), for saying what it overlaps. */
export function busiestWindowStart(sorted: number[], windowMs: number): number | undefined {
  let most = 0;
  let at: number | undefined;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) >= windowMs) j++;
    if (i - j + 1 > most) {
      most = i - j + 1;
      at = sorted[j];
    }
  }
  return at;
}
