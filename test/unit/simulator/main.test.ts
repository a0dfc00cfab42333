import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const MAIN = path.resolve(__dirname, '../../../simulator/main.ts');

function run(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function exitOf(child: ReturnType<typeof run>): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

describe('simulator CLI', () => {
  it('prints one ready line with its baseURL and exits cleanly on SIGTERM', async () => {
    const child = run(['--port', '0', '--seed', '42']);
    const exited = exitOf(child);
    const firstLine = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout }).once('line', resolve),
    );
    const ready = JSON.parse(firstLine) as { event: string; baseURL: string; port: number };
    expect(ready.event).toBe('ready');
    expect(ready.baseURL).toBe(`http://127.0.0.1:${ready.port}/v1`);
    const health = await fetch(ready.baseURL.replace(/\/v1$/, '/_sim/health'));
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  });

  it('exits with code 2 and names the flag when given a bad one', async () => {
    const [unknown, badPort] = await Promise.all([
      exitOf(run(['--prot', '1'])),
      exitOf(run(['--port', 'eighty'])),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--prot');
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port');
  });
});
