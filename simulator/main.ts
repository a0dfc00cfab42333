import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startSimulator, type SimulatorConfigPatch } from './index';

/** CLI: `tsx simulator/main.ts --port 0 --seed 42 [--host 127.0.0.1] [--config file.json]`. */

class UsageError extends Error {}

function integerFlag(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

function parseCli(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        seed: { type: 'string' },
        host: { type: 'string' },
        config: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    // node:util's messages already name the flag ("Unknown option '--prot'").
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  let config: unknown;
  if (values.config !== undefined) {
    try {
      config = JSON.parse(readFileSync(values.config, 'utf8')) as unknown;
    } catch (err) {
      throw new UsageError(
        `--config: cannot read JSON from '${values.config}': ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  return {
    port: integerFlag('port', values.port, 0, 0, 65535),
    seed: integerFlag('seed', values.seed, 42, -(2 ** 31), 2 ** 31 - 1),
    host: values.host ?? '127.0.0.1',
    config,
  };
}

async function main(): Promise<void> {
  let options;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`simulator: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  // Unchecked here on purpose: startSimulator validates it with the same zod schema as admin patches.
  const config = options.config as SimulatorConfigPatch | undefined;
  const sim = await startSimulator({ ...options, config }).catch((err: unknown) => {
    process.stderr.write(`simulator: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
  process.stdout.write(`${JSON.stringify({ event: 'ready', baseURL: sim.baseURL, port: sim.port })}\n`);
  const shutdown = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

void main();
