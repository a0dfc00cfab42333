import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config';

/** Stops the dev server `demo` started (its pid file sits next to the database). */
export function stopDevServer(config: Config): string {
  const pidFile = join(config.dataDir, 'temporal.pid');
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8'));
  } catch {
    return `no dev server started by the demo (${pidFile} not found)`;
  }
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // Already gone: clearing the stale pid file is all there is to do.
  }
  rmSync(pidFile, { force: true });
  return `stopped dev server (pid ${pid})`;
}
