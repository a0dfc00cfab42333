import { writeFileSync } from 'node:fs';
import type { Ledger, SimStats, SimulatorConfigPatch } from '../../simulator';
import { freePort, spawnProcess, type ManagedProcess } from '../../test/support/processes';
import { sleep } from './follow';

/**
 * The simulator as its own process (see sim-host.ts), driven only through its admin
 * endpoints, as an operator would drive a real test double. A fixed port, because a refuse
 * outage closes the listener and reopens it on the same port.
 */
export class SimulatorProcess {
  private constructor(
    private readonly proc: ManagedProcess,
    readonly port: number,
  ) {}

  get baseURL(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  private get admin(): string {
    return `http://127.0.0.1:${this.port}/_sim`;
  }

  static async start(o: {
    seed: number;
    config: SimulatorConfigPatch;
    dir: string;
  }): Promise<SimulatorProcess> {
    const port = await freePort();
    const configFile = `${o.dir}/simulator-config.json`;
    writeFileSync(configFile, JSON.stringify(o.config, null, 2));
    // The simulator's own CLI, hosted so that a refuse outage cannot end the process (sim-host.ts).
    const args = ['--import', 'tsx', 'scripts/chaos/sim-host.ts', '--port', String(port)];
    args.push('--seed', String(o.seed), '--config', configFile);
    const proc = spawnProcess(process.execPath, args, `${o.dir}/simulator.out`);
    const sim = new SimulatorProcess(proc, port);
    const deadline = Date.now() + 60_000;
    while (!(await sim.get<unknown>('health', 1000).catch(() => undefined))) {
      if (!proc.running) throw new Error(`simulator exited: ${proc.output().slice(-2000)}`);
      if (Date.now() > deadline) throw new Error('simulator did not answer within 60 s');
      await sleep(200);
    }
    return sim;
  }

  private async get<T>(path: string, timeoutMs = 5000): Promise<T> {
    const res = await fetch(`${this.admin}/${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`GET /_sim/${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  }

  /** JSON merge patch; a 400 names the bad field. */
  async configure(patch: SimulatorConfigPatch): Promise<void> {
    const res = await fetch(`${this.admin}/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(patch),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`POST /_sim/config: HTTP ${res.status} ${await res.text()}`);
  }

  /** Retried: during a refuse outage the admin endpoints are down with the rest of the port. */
  async ledger(): Promise<Ledger> {
    return this.retrying(() => this.get<Ledger>('ledger'));
  }

  async stats(): Promise<SimStats> {
    return this.retrying(() => this.get<SimStats>('stats'));
  }

  private async retrying<T>(fn: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await sleep(500);
      }
    }
  }

  async stop(): Promise<void> {
    await this.proc.stop('SIGTERM');
  }
}
