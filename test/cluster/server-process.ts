import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const pidFile = resolve(root, '.data/temporal-cluster/server.pid');
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** The running server's pid, as scripts/cluster/server.sh recorded it. */
export function serverPid(): number {
  return Number(readFileSync(pidFile, 'utf8').trim());
}

/** User + system CPU seconds a process has used so far (fields 14 and 15 of /proc/pid/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * Adds up the server's CPU across restarts: each process is read just before it is stopped,
 * and the one running at the end when the run ends.
 */
export class ServerCpu {
  private spent = 0;
  private pid = serverPid();
  private base = cpuSeconds(this.pid);

  /** Stops the server with `signal` and starts it again on the same databases. */
  async restart(signal: 'KILL' | 'TERM'): Promise<void> {
    this.spent += cpuSeconds(this.pid) - this.base;
    await run('bash', [resolve(root, 'scripts/cluster/server.sh'), 'restart', signal], { timeout: 180_000 });
    this.pid = serverPid();
    this.base = cpuSeconds(this.pid);
  }

  total(): number {
    return this.spent + cpuSeconds(this.pid) - this.base;
  }
}
