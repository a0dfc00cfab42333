import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Every process the bench starts, so none outlives it. Each child leads its own process
 * group (`detached`), so a signal to the group also reaches anything it spawned (tsx's
 * esbuild service, for one), and only groups this module started are ever signalled.
 */
const live = new Set<ChildProcess>();
let hooked = false;

function hook(): void {
  if (hooked) return;
  hooked = true;
  // 'exit' handlers must be synchronous; signalling a group is.
  process.once('exit', () => {
    for (const child of live) signalGroup(child, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of live) signalGroup(child, 'SIGKILL');
      process.exit(130);
    });
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: it exited between the check and the kill.
  }
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts `cmd` with stdout and stderr appended to `logFile`, tracked for cleanup. */
export function spawnTracked(
  cmd: string,
  args: string[],
  opts: { logFile: string; env?: NodeJS.ProcessEnv; cwd?: string },
): ChildProcess {
  hook();
  mkdirSync(dirname(opts.logFile), { recursive: true });
  const fd = openSync(opts.logFile, 'a');
  try {
    const child = spawn(cmd, args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: opts.env ?? process.env,
      cwd: opts.cwd,
    });
    live.add(child);
    child.once('exit', () => live.delete(child));
    return child;
  } finally {
    closeSync(fd); // the child holds its own copy
  }
}

/** SIGTERM to the child's group, SIGKILL after `graceMs`; resolves once it has exited. */
export async function stopTracked(child: ChildProcess, graceMs = 15_000): Promise<void> {
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
  // Anything the child left behind in its group goes too.
  if (child.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // the group is already empty
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
