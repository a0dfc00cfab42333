import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../src/dev/temporal-binary';
import { ArgsError, parseArgs, type BenchArgs, type Phase } from './lib/args';
import { actionsSection } from './lib/actions';
import { evaluateGoals, type BenchResults } from './lib/goals';
import { describeMachine } from './lib/machine';
import { renderReport } from './lib/report';
import { log } from './lib/setup';
import { costPhase } from './phases/cost';
import { overheadPhase } from './phases/overhead';
import { scalePhase } from './phases/scale';
import { throughputPhase } from './phases/throughput';

/**
 * `npm run bench [-- --only throughput,overhead --quick --skip-scale --scale-listings N ...]`
 *
 * Runs the selected phases one after another (never in parallel: they would measure each
 * other), prints the markdown report and writes bench/results/latest.{json,md}. Results are
 * written after every phase too, so a long scale run that is interrupted keeps what was done.
 * Nothing here asserts on time: the figures are reported, compared with the goals, and left
 * for people to judge.
 */
async function main(): Promise<void> {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof ArgsError) {
      process.stderr.write(`bench: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  const outDir = resolve(PROJECT_ROOT, args.outDir);
  mkdirSync(outDir, { recursive: true });
  const base: Omit<BenchResults, 'goals'> = {
    machine: describeMachine(),
    options: { ...args },
    startedAt: new Date().toISOString(),
    finishedAt: '',
  };
  const results: Omit<BenchResults, 'goals'> = { ...base };
  const save = () => {
    const full: BenchResults = {
      ...results,
      actions: actionsSection(results.overhead),
      finishedAt: new Date().toISOString(),
      goals: evaluateGoals(results),
    };
    writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(full, null, 2)}\n`);
    const md = renderReport(full);
    writeFileSync(join(outDir, 'latest.md'), md);
    return md;
  };
  const runners: Record<Phase, () => Promise<void>> = {
    throughput: async () => {
      results.throughput = await throughputPhase(args);
    },
    overhead: async () => {
      results.overhead = await overheadPhase(args);
    },
    scale: async () => {
      results.scale = await scalePhase(args);
    },
    cost: async () => {
      results.cost = await costPhase(args);
    },
  };
  log(`phases: ${args.phases.join(', ')}${args.quick ? ' (quick)' : ''}`);
  for (const phase of args.phases) {
    const started = Date.now();
    const loadStart = loadavg()[0] ?? 0;
    log(`phase ${phase} starting`);
    try {
      await runners[phase]();
    } catch (err) {
      log(`phase ${phase} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    results.load = { ...results.load, [phase]: { start: loadStart, end: loadavg()[0] ?? 0 } };
    log(`phase ${phase} finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    save();
  }
  process.stdout.write(`\n${save()}\n`);
  log(`written: ${join(outDir, 'latest.json')} and latest.md`);
}

main().then(
  // Open handles (gRPC channels, timers) must not keep the process alive once the report is out.
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
