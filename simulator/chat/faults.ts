import type { SimulatorConfig } from '../shared/config';
import { Prng } from '../shared/prng';

/**
 * Fault draws. Each fault has its own stream keyed on (seed, fault, request-body hash, how many
 * times that body was seen): a run replays identically for a seed, yet a retry of the same request
 * is a fresh draw, so a 10% fault rate does not doom one request forever.
 */

export type TransportFault =
  { kind: 'http'; status: 500 | 502 | 503 } | { kind: 'reset' } | { kind: 'hang' } | { kind: 'random429' };

export type OutputFault = 'refusal' | 'truncated' | 'invalidJson' | 'schemaViolation';

export interface FaultKey {
  seed: number;
  bodyHash: string;
  attempt: number;
}

export function faultStream(key: FaultKey, fault: string): Prng {
  return new Prng(key.seed, `fault:${fault}`, key.bodyHash, key.attempt);
}

/** Faults that happen before the model runs: nothing is billed when one fires. */
export function drawTransportFault(config: SimulatorConfig, key: FaultKey): TransportFault | undefined {
  const rates = config.errorRates;
  if (faultStream(key, 'connectionReset').chance(rates.connectionReset)) return { kind: 'reset' };
  if (faultStream(key, 'hang').chance(rates.hang)) return { kind: 'hang' };
  if (faultStream(key, 'random429').chance(config.random429Rate)) return { kind: 'random429' };
  for (const status of [500, 502, 503] as const) {
    if (faultStream(key, `http${status}`).chance(rates[`http${status}`])) return { kind: 'http', status };
  }
  return undefined;
}

/** Faults in what the model says: the response is a billed 200, its content is the problem. */
export function drawOutputFault(config: SimulatorConfig, key: FaultKey): OutputFault | undefined {
  const order: OutputFault[] = ['refusal', 'truncated', 'invalidJson', 'schemaViolation'];
  return order.find((fault) => faultStream(key, fault).chance(config.outputFaults[fault]));
}

/** Makes JSON text unparseable in one of the ways models really do it. */
export function breakJson(text: string, rng: Prng): string {
  switch (rng.pick(['fence', 'trailingComma', 'singleQuotes'] as const)) {
    case 'fence':
      return `\`\`\`json\n${text}\n\`\`\``;
    case 'trailingComma':
      return text.replace(/}\s*$/, ',}');
    case 'singleQuotes':
      return text.replace(/"([^"\\]+)":/g, "'$1':");
  }
}

/** Cuts output mid-way, as when the model hits its token limit. */
export function truncateOutput(text: string): string {
  return text.slice(0, Math.max(1, Math.floor(text.length * 0.6)));
}
