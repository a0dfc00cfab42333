import type { NaiveResult } from './pipeline';

/** How the baseline's process reports back: the last stdout line, with this prefix. */
export const RESULT_PREFIX = 'NAIVE_RESULT ';

export interface NaiveProcessResult extends NaiveResult {
  /** User + system CPU of the process while the pipeline ran (all threads), ms. */
  cpuMs: number;
  /** Largest resident set sampled each second while it ran, MB. */
  peakRssMb: number;
  /** The kernel's lifetime peak (getrusage maxRSS), MB. */
  maxRssMb: number;
}
