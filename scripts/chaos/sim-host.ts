import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startSimulator, type SimulatorConfigPatch } from '../../simulator';

/**
 * `simulator/main.ts` with one difference: a timer that holds the event loop open. A
 * refuse outage closes the simulator's only listener and its end timer is unref'd, so the
 * stock process exits (code 0) the moment an outage starts and never comes back. Until that
 * is fixed in the simulator, the chaos run hosts it here.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, seed: { type: 'string' }, config: { type: 'string' } },
  });
  // Unchecked on purpose: startSimulator validates the patch with the simulator's own schema.
  const config = values.config
    ? (JSON.parse(readFileSync(values.config, 'utf8')) as SimulatorConfigPatch)
    : undefined;
  const sim = await startSimulator({
    port: Number(values.port ?? 0),
    seed: Number(values.seed ?? 42),
    config,
  });
  const keepAlive = setInterval(() => undefined, 60_000);
  process.stdout.write(`${JSON.stringify({ event: 'ready', baseURL: sim.baseURL, port: sim.port })}\n`);
  const shutdown = () => {
    clearInterval(keepAlive);
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`simulator host: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
