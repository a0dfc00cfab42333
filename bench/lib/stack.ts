import type { Client } from '@temporalio/client';
import type { RunningSimulator, SimulatorConfigPatch } from '../../simulator';
import { startDevServer, type BenchDevServer } from './dev-server';
import { connectClient, type BenchRunInput } from './scoreline';
import { CRITERIA, startSim } from './setup';
import { startWorkerProcess, type WorkerProcess, type WorkerProcessOptions } from './worker-process';

export interface ScorelineStack {
  server: BenchDevServer;
  sim: RunningSimulator;
  worker: WorkerProcess;
  client: Client;
}

export interface StackOptions extends Omit<WorkerProcessOptions, 'address' | 'simBaseURL'> {
  seed: number;
  sim: SimulatorConfigPatch;
}

/**
 * Everything a Scoreline measurement runs on: its own dev server, a simulator, the real worker
 * as a child process and a client; `fn` measures, and everything is stopped in reverse order,
 * whatever happens.
 */
export async function withScorelineStack<T>(
  o: StackOptions,
  fn: (s: ScorelineStack) => Promise<T>,
): Promise<T> {
  const { seed, sim: simConfig, ...workerOptions } = o;
  const server = await startDevServer(o.dir);
  try {
    const sim = await startSim(seed, simConfig);
    try {
      const worker = await startWorkerProcess({
        ...workerOptions,
        address: server.address,
        simBaseURL: sim.baseURL,
      });
      try {
        const { client, close } = await connectClient(server.address);
        try {
          return await fn({ server, sim, worker, client });
        } finally {
          await close();
        }
      } finally {
        await worker.stop();
      }
    } finally {
      await sim.close();
    }
  } finally {
    await server.stop();
  }
}

/** The synchronous, uncached run the throughput, overhead and scale phases measure. */
export function syncRunInput(feedPath: string): BenchRunInput {
  // The sync path on purpose: the default ('auto') would send everything to the Batch API first.
  return { runDate: '2026-11-29', feedPath, criteria: CRITERIA, useCache: false, route: 'sync' };
}
