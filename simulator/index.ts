import type { SimulatorConfig, SimulatorConfigPatch } from './shared/config';
import { SimulatorEngine } from './engine';
import type { Ledger } from './metering/ledger';
import { SimulatorServer } from './http/server';
import type { SimStats } from './metering/stats';

export interface SimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1: the simulator is a local test double, never a public service. */
  host?: string;
  /** Seeds every random draw (noise, faults, latency); default 42. */
  seed?: number;
  config?: SimulatorConfigPatch;
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:PORT/v1 — pass it as the openai SDK's `baseURL`. */
  baseURL: string;
  port: number;
  ledger(): Ledger;
  stats(): SimStats;
  /** JSON merge patch; throws ConfigError naming the invalid field. */
  configure(patch: SimulatorConfigPatch): void;
  resetLedger(): void;
  close(): Promise<void>;
}

/** Starts an OpenAI-compatible simulator on a local port. */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const engine = new SimulatorEngine(opts.seed ?? 42, opts.config);
  const server = new SimulatorServer(engine, host);
  const port = await server.listen(opts.port ?? 0);
  if (engine.config.outage) server.configure({ outage: engine.config.outage });
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    baseURL: `http://${urlHost}:${port}/v1`,
    port,
    ledger: () => engine.ledger.snapshot(),
    stats: () => server.statsSnapshot(),
    configure: (patch) => server.configure(patch),
    resetLedger: () => engine.resetLedger(),
    close: () => server.close(),
  };
}

export { ConfigError, DEFAULT_CONFIG } from './shared/config';
export { assessListing, trueScore } from './chat/scoring';
export { SimulatorEngine } from './engine';
export { KNOWN_MODELS } from './shared/models';
export { PRICES } from './shared/pricing';
export type { Ledger, LedgerEntry, LedgerRoute, LedgerSection } from './metering/ledger';
export type { BatchStats } from './batch/batch-types';
export type { SimStats, SimulatorConfig, SimulatorConfigPatch };
