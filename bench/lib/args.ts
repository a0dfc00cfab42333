/**
 * Command-line flags of `npm run bench`. Pure: parsed from an argv array so the tests can
 * check every flag without starting anything.
 */

export const PHASES = ['throughput', 'overhead', 'scale', 'cost'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchArgs {
  phases: Phase[];
  quick: boolean;
  throughputListings: number;
  overheadListings: number;
  scaleListings: number;
  costListings: number;
  /** Requests per minute the simulator allows per model, and the worker's queue limit in the throughput phase. */
  rpm: number;
  /** The naive pipeline's in-flight limit; Scoreline's default window is 8 shards × 25 listings = 200. */
  concurrency: number;
  /** The cost phase's Scoreline routes, each run on its own (RunInput `route`); the other phases are sync. */
  routes: Array<'auto' | 'batch' | 'sync'>;
  seed: number;
  outDir: string;
  workerLogLevel: string;
  /** Profiles the worker's CPU in the overhead phase (a diagnostic: the profiler costs CPU too). */
  profileWorker: boolean;
}

export class ArgsError extends Error {
  override name = 'ArgsError';
}

const FULL = { throughput: 5000, overhead: 5000, scale: 100_000, cost: 10_000 };
const QUICK = { throughput: 600, overhead: 500, scale: 2000, cost: 1000 };

function positiveInt(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n <= 0) {
    throw new ArgsError(
      `${flag} needs a positive integer, got ${value === undefined ? 'nothing' : `"${value}"`}`,
    );
  }
  return n;
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  const flags = new Map<string, string | undefined>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new ArgsError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    if (eq > 0) {
      flags.set(arg.slice(0, eq), arg.slice(eq + 1));
    } else if (['--quick', '--skip-scale', '--profile-worker'].includes(arg)) {
      flags.set(arg, undefined);
    } else {
      flags.set(arg, argv[i + 1]);
      i++;
    }
  }
  const known = [
    '--quick',
    '--skip-scale',
    '--only',
    '--throughput-listings',
    '--overhead-listings',
    '--scale-listings',
    '--cost-listings',
    '--rpm',
    '--concurrency',
    '--route',
    '--seed',
    '--out',
    '--worker-log-level',
    '--profile-worker',
  ];
  for (const flag of flags.keys()) if (!known.includes(flag)) throw new ArgsError(`unknown flag ${flag}`);

  const quick = flags.has('--quick');
  const size = quick ? QUICK : FULL;
  const num = (flag: string, fallback: number) =>
    flags.has(flag) ? positiveInt(flag, flags.get(flag)) : fallback;

  let phases: Phase[] = [...PHASES];
  if (flags.has('--only')) {
    const list = (flags.get('--only') ?? '').split(',').filter((p) => p !== '');
    for (const p of list) {
      if (!(PHASES as readonly string[]).includes(p)) {
        throw new ArgsError(`--only: unknown phase "${p}" (phases: ${PHASES.join(', ')})`);
      }
    }
    if (list.length === 0) throw new ArgsError('--only needs a comma-separated list of phases');
    phases = PHASES.filter((p) => list.includes(p));
  }
  if (flags.has('--skip-scale')) phases = phases.filter((p) => p !== 'scale');

  const routes = (flags.get('--route') ?? 'sync').split(',').filter((r) => r !== '');
  for (const r of routes) {
    if (r !== 'sync' && r !== 'batch' && r !== 'auto') {
      throw new ArgsError(`--route takes sync, batch or auto (comma-separated), got "${r}"`);
    }
  }
  if (routes.length === 0) throw new ArgsError('--route needs at least one route');

  return {
    phases,
    quick,
    throughputListings: num('--throughput-listings', size.throughput),
    overheadListings: num('--overhead-listings', size.overhead),
    scaleListings: num('--scale-listings', size.scale),
    costListings: num('--cost-listings', size.cost),
    rpm: num('--rpm', 3000),
    concurrency: num('--concurrency', 200),
    routes: [...new Set(routes)] as BenchArgs['routes'],
    seed: num('--seed', 7),
    outDir: flags.get('--out') ?? 'bench/results',
    workerLogLevel: flags.get('--worker-log-level') ?? 'info',
    profileWorker: flags.has('--profile-worker'),
  };
}
