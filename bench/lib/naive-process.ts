import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/dev/temporal-binary';
import type { NaiveOptions } from '../naive/pipeline';
import { RESULT_PREFIX, type NaiveProcessResult } from '../naive/protocol';
import { exited, spawnTracked } from './children';

/** Runs the baseline in its own process and returns what it reported. */
export async function runNaiveProcess(
  dir: string,
  options: NaiveOptions,
  label: string,
): Promise<NaiveProcessResult> {
  const logFile = join(dir, `naive-${label}.out`);
  const child = spawnTracked(
    process.execPath,
    ['--import', 'tsx', 'bench/naive/main.ts', JSON.stringify(options)],
    {
      logFile,
      cwd: PROJECT_ROOT,
    },
  );
  await exited(child);
  const out = readFileSync(logFile, 'utf8');
  const line = out
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(RESULT_PREFIX));
  if (child.exitCode !== 0 || !line) {
    throw new Error(`naive pipeline (${label}) failed with code ${child.exitCode}: ${out.slice(-1500)}`);
  }
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as NaiveProcessResult;
}
