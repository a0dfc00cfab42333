import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSearchAttributes, searchAttributeArgs, temporalAnswers } from '../../src/dev/dev-server';
import { freePort } from '../../src/dev/free-port';
import { resolveTemporalCli } from '../../src/dev/temporal-binary';
import { sleep, spawnTracked, stopTracked } from './children';
import { parsePrometheusText, type Samples } from '../../src/observability/metrics-text';
import { readCpuMs } from './procfs';

/** The `action` counter's samples for the default namespace, keyed by their action_type label. */
export function actionCounter(samples: Samples): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(samples)) {
    if (!key.startsWith('action{') || !key.includes('namespace="default"')) continue;
    const type = /action_type="([^"]*)"/.exec(key)?.[1] ?? 'unknown';
    out[type] = (out[type] ?? 0) + value;
  }
  return out;
}

export interface BenchDevServer {
  address: string;
  pid: number;
  logFile: string;
  cpuMs(): number | undefined;
  /** The server's own `action` counter for the default namespace, by action type (see bench/lib/actions.ts). */
  actionCounts(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/**
 * The bench's own Temporal dev server: in memory (no --db-filename, so nothing persists and
 * no fsync cost), headless, on a free port of 127.0.0.1, with the project's search
 * attributes, logging JSON at warn level so the limit warnings can be counted afterwards.
 */
export async function startDevServer(dir: string): Promise<BenchDevServer> {
  const cli = resolveTemporalCli({ install: true });
  if (!cli) throw new Error('no temporal CLI found: set TEMPORAL_CLI_PATH or run `npm run setup`');
  const [port, metricsPort] = [await freePort(), await freePort()];
  const address = `127.0.0.1:${port}`;
  const logFile = join(dir, 'temporal-server.log');
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless'];
  args.push('--log-level', 'warn', '--log-format', 'json', '--metrics-port', String(metricsPort));
  args.push(...searchAttributeArgs());
  const child: ChildProcess = spawnTracked(cli.path, args, { logFile });
  const pid = child.pid;
  if (pid === undefined) throw new Error('temporal dev server did not start');
  const deadline = Date.now() + 60_000;
  while (!(await temporalAnswers(address))) {
    if (child.exitCode !== null)
      throw new Error(`temporal dev server exited (${child.exitCode}); see ${logFile}`);
    if (Date.now() > deadline) {
      await stopTracked(child);
      throw new Error(`temporal dev server did not answer within 60 s; see ${logFile}`);
    }
    await sleep(250);
  }
  // The CLI flags register them already; this is the project's own check, a no-op then.
  await ensureSearchAttributes(address, 'default');
  return {
    address,
    pid,
    logFile,
    cpuMs: () => readCpuMs(pid),
    actionCounts: async () => {
      const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      return actionCounter(parsePrometheusText(await res.text()));
    },
    stop: () => stopTracked(child),
  };
}

export interface ServerLogScan {
  warnLines: number;
  errorLines: number;
  /** Lines about history size/count limits ("history size exceeds warn limit" and the like). */
  historyLimitLines: number;
  /** Up to five distinct warn/error messages, for the report. */
  sample: string[];
}

const HISTORY_LIMIT = /history (size|count|length)|exceeds/i;

/** Counts warn/error lines in the dev server's JSON (or plain) log. */
export function scanServerLog(text: string): ServerLogScan {
  const scan: ServerLogScan = { warnLines: 0, errorLines: 0, historyLimitLines: 0, sample: [] };
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let level = '';
    let msg = line;
    try {
      const rec = JSON.parse(line) as { level?: unknown; msg?: unknown };
      level = typeof rec.level === 'string' ? rec.level.toLowerCase() : '';
      msg = typeof rec.msg === 'string' ? rec.msg : line;
    } catch {
      level = /\b(warn|warning)\b/i.test(line) ? 'warn' : /\berror\b/i.test(line) ? 'error' : '';
    }
    if (HISTORY_LIMIT.test(line)) scan.historyLimitLines++;
    if (level !== 'warn' && level !== 'error') continue;
    if (level === 'warn') scan.warnLines++;
    else scan.errorLines++;
    if (!seen.has(msg) && scan.sample.length < 5) {
      seen.add(msg);
      scan.sample.push(`${level}: ${msg.slice(0, 160)}`);
    }
  }
  return scan;
}

export function scanServerLogFile(path: string): ServerLogScan {
  try {
    return scanServerLog(readFileSync(path, 'utf8'));
  } catch {
    return { warnLines: 0, errorLines: 0, historyLimitLines: 0, sample: [] };
  }
}
