import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT, resolveTemporalCli } from '../../src/dev/temporal-binary';
import { searchAttributeArgs, temporalAnswers } from '../../src/dev/dev-server';
import { freePort } from '../../src/dev/free-port';

/**
 * The real pieces as separate OS processes, for crash tests and the chaos run. Every child
 * is the leader of its own process group (`detached`), so a kill reaches anything it
 * spawned, and every child is in a registry that is emptied with SIGKILL when this process
 * exits, whether the caller's `finally` ran or not.
 */

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function register(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' handlers must be synchronous; a signal to a process group is.
    process.once('exit', () => killAllChildren('SIGKILL'));
  }
}

/** Signals a child's whole process group; a group that is already gone is not an error. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: it exited between the check and the kill.
  }
}

/** Kills every child this module started and has not seen exit. */
export function killAllChildren(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of live) signalGroup(child, signal);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Signals the group and waits for the exit; escalates to SIGKILL after `graceMs`. */
async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs = 10_000): Promise<void> {
  signalGroup(child, signal);
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export { freePort };

function spawnLogged(cmd: string, args: string[], logFile: string, env?: NodeJS.ProcessEnv): ChildProcess {
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], env, cwd: PROJECT_ROOT });
    register(child);
    return child;
  } finally {
    closeSync(fd); // the child holds its own copy of the descriptor
  }
}

/** A child in its own process group, its stdout and stderr in one file. */
export class ManagedProcess {
  constructor(
    readonly child: ChildProcess,
    readonly outputFile: string,
  ) {}

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    try {
      return readFileSync(this.outputFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** Signals the whole group and waits for the exit (SIGKILL after `graceMs`). */
  stop(signal: NodeJS.Signals = 'SIGTERM', graceMs?: number): Promise<void> {
    return stopChild(this.child, signal, graceMs);
  }
}

/** Runs `cmd` from the project root in its own process group; killed with this process at the latest. */
export function spawnProcess(
  cmd: string,
  args: string[],
  outputFile: string,
  env?: NodeJS.ProcessEnv,
): ManagedProcess {
  return new ManagedProcess(spawnLogged(cmd, args, outputFile, env), outputFile);
}

// The same probe the demo uses to find a running server.
export { temporalAnswers };

export interface DevServerOptions {
  dbFile: string;
  port: number;
  /** Serves the Web UI there; without it the server runs headless. */
  uiPort?: number;
  /** Server output; defaults to `<dbFile>.log`. */
  logFile?: string;
}

/** The `temporal server start-dev` CLI on a SQLite file that survives its restarts. */
export class DevServerProcess {
  readonly address: string;
  private child: ChildProcess | undefined;
  restarts = 0;

  constructor(private readonly o: DevServerOptions) {
    this.address = `127.0.0.1:${o.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get logFile(): string {
    return this.o.logFile ?? `${this.o.dbFile}.log`;
  }

  async start(timeoutMs = 60_000): Promise<this> {
    const cli = resolveTemporalCli({ install: false });
    if (!cli) throw new Error('no temporal CLI found: run `npm run setup` or set TEMPORAL_CLI_PATH');
    const args = ['server', 'start-dev', '--db-filename', this.o.dbFile, '--ip', '127.0.0.1'];
    args.push('--port', String(this.o.port), '--log-level', 'warn');
    if (this.o.uiPort === undefined) args.push('--headless');
    else args.push('--ui-port', String(this.o.uiPort), '--ui-disable-news-fetch');
    args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
    args.push(...searchAttributeArgs());
    const child = spawnLogged(cli.path, args, this.logFile);
    this.child = child;
    const deadline = Date.now() + timeoutMs;
    while (!(await temporalAnswers(this.address))) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(
          `temporal dev server exited (${child.exitCode ?? child.signalCode}); see ${this.logFile}`,
        );
      if (Date.now() > deadline) throw new Error(`temporal dev server did not answer; see ${this.logFile}`);
      await sleep(200);
    }
    return this;
  }

  /** SIGTERM is a clean shutdown; SIGKILL is a crash (WAL keeps what was committed). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child) await stopChild(this.child, signal);
    this.child = undefined;
  }

  /** Stops it, waits `downMs`, and starts it again on the same file and port. */
  async restart(opts: { signal?: NodeJS.Signals; downMs?: number } = {}): Promise<void> {
    await this.stop(opts.signal ?? 'SIGTERM');
    await sleep(opts.downMs ?? 2000);
    await this.start();
    this.restarts++;
  }
}

export async function startDevServer(o: DevServerOptions): Promise<DevServerProcess> {
  return new DevServerProcess(o).start();
}

export interface WorkerEnv {
  TEMPORAL_ADDRESS: string;
  SCORELINE_TASK_QUEUE: string;
  OPENAI_BASE_URL: string;
  OPENAI_API_KEY: string;
  SCORELINE_DB: string;
  SCORELINE_LOG_FILE: string;
  [name: string]: string;
}

/** `src/worker/main.ts` in its own Node process (tsx loader), as `npm run worker` runs it. */
export class WorkerProcess extends ManagedProcess {
  static async start(env: WorkerEnv, name = 'worker'): Promise<WorkerProcess> {
    const outputFile = join(dirname(env.SCORELINE_LOG_FILE), `${name}-${Date.now()}.out`);
    const full: NodeJS.ProcessEnv = {
      ...process.env,
      LOG_LEVEL: 'info',
      // Our own endpoint on a random port; the SDK's exporter needs a fixed one, unique per process.
      SCORELINE_METRICS_PORT: '0',
      SCORELINE_TEMPORAL_METRICS_PORT: String(await freePort()),
      ...env,
    };
    // node itself, not npx: the pid we signal is the worker, with no wrapper to outlive it.
    const child = spawnLogged(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], outputFile, full);
    return new WorkerProcess(child, outputFile);
  }

  /** Resolves once the worker logged that it polls (bundling the workflows takes seconds). */
  async ready(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.output().includes('worker started')) return;
      if (!this.running) throw new Error(`worker exited before it started: ${this.output().slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`worker did not start within ${timeoutMs} ms`);
      await sleep(250);
    }
  }

  /** SIGKILL by default: no shutdown hook runs, in-flight activities are simply lost. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.stop(signal);
  }
}

export function startWorker(env: WorkerEnv, name?: string): Promise<WorkerProcess> {
  return WorkerProcess.start(env, name);
}
