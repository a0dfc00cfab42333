import { runNaivePipeline, type NaiveOptions } from './pipeline';
import { RESULT_PREFIX, type NaiveProcessResult } from './protocol';

/**
 * The baseline as its own process (the bench runs it like the Scoreline worker, apart from
 * the simulator), reporting its CPU and peak memory. Options arrive as one JSON argument;
 * the result leaves as the last stdout line, prefixed so the parent can find it.
 */

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as NaiveOptions;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 1000);
  const cpu0 = process.cpuUsage();
  const result = await runNaivePipeline(options);
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const out: NaiveProcessResult = {
    ...result,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: peak / 2 ** 20,
    // resourceUsage().maxRSS is in kB.
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `naive pipeline failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
});
