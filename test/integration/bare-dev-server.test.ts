import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRun } from '../../src/client/commands/runs';
import { ensureNamespaceReady } from '../../src/client/connect';
import { followRun, RunStuckError } from '../../src/client/follow';
import { scoreFeed } from '../../src/client/score';
import { loadConfig } from '../../src/config';
import { resolveTemporalCli } from '../../src/dev/temporal-binary';
import { dailyScoringRun } from '../../src/workflows';
import { searchAttributeKeys } from '../../src/workflows/definitions';
import { feedRun, Harness } from '../support/harness';
import {
  freePort,
  spawnProcess,
  startWorker,
  temporalAnswers,
  type ManagedProcess,
} from '../support/processes';

/**
 * `temporal server start-dev` as anyone starts it: no --search-attribute flags. Its own
 * process, ports and SQLite file, so nothing registered on the shared test server helps.
 * Namespaces of its own per test, created by the server at start.
 */
const dir = mkdtempSync(join(tmpdir(), 'scoreline-bare-'));
let server: ManagedProcess;
let address: string;
let harness: Harness | undefined;

beforeAll(async () => {
  const cli = resolveTemporalCli({ install: true });
  if (!cli) throw new Error('no temporal CLI found: run `npm run setup`');
  const port = await freePort();
  address = `127.0.0.1:${port}`;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless'];
  args.push('--db-filename', join(dir, 'temporal.db'), '--log-level', 'error');
  for (const ns of ['score-ns', 'refuse-ns', 'worker-ns']) args.push('--namespace', ns);
  server = spawnProcess(cli.path, args, join(dir, 'server.log'));
  const deadline = Date.now() + 60_000;
  while (!(await temporalAnswers(address))) {
    if (!server.running || Date.now() > deadline)
      throw new Error(`bare dev server did not start: ${server.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
});

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function customAttributes(namespace: string): Promise<string[]> {
  const conn = await Connection.connect({ address });
  try {
    const res = await conn.operatorService.listSearchAttributes({ namespace });
    return Object.keys(res.customAttributes ?? {}).sort();
  } finally {
    await conn.close();
  }
}

const ours = searchAttributeKeys.map((k) => k.name).sort();

describe('a bare dev server (temporal server start-dev without --search-attribute)', () => {
  it('shows a run stuck on BadSearchAttributes, and the run completes once the CLI registers them', async () => {
    expect(await customAttributes('default')).toEqual([]);
    harness = await new Harness({ address }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 20 });
    const warnings: string[] = [];
    // Workers and a workflow started without any check, as before this was fixed.
    const summary = await h.withWorkers(async () => {
      const handle = await h.client.workflow.start(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId: h.workflowId('bare'),
        args: [feedRun(feedPath, { route: 'sync' })],
      });
      const following = followRun(handle, {
        tty: false,
        intervalMs: 200,
        healthEveryMs: 300,
        stuckGraceMs: 1500,
        warn: (line) => warnings.push(line),
      });
      await expect(following).rejects.toThrow(RunStuckError);
      await expect(following).rejects.toThrow(
        /workflow task failing \(attempt \d+\): BadSearchAttributes: .*search attribute \w+/,
      );
      await expect(following).rejects.toThrow('The run is still open');
      expect(warnings[0]).toMatch(/^workflow task failing \(attempt \d+\): BadSearchAttributes/);

      // What `run`, `score` and the worker do at start: this is a dev server, so they register.
      const notes: string[] = [];
      await ensureNamespaceReady(h.cliConfig(), h.client.connection, (line) => notes.push(line));
      expect(notes).toEqual([
        `registered search attributes ${searchAttributeKeys.map((k) => k.name).join(', ')} in namespace default`,
      ]);
      return handle.result();
    });
    expect(await customAttributes('default')).toEqual(ours);
    expect(summary.scored + summary.deadLettered).toBe(20);
    expect(summary.scored).toBeGreaterThan(0);
  });

  it('scoreline score on it registers the attributes itself and the run completes', async () => {
    expect(await customAttributes('score-ns')).toEqual([]);
    const data = mkdtempSync(join(dir, 'score-'));
    harness = await new Harness({ address }).start();
    const feed = harness.writeFeed({ count: 15 });
    const config = loadConfig({
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: 'score-ns',
      SCORELINE_TASK_QUEUE: `score-${Date.now()}`,
      SCORELINE_DATA_DIR: data,
    });
    const lines: string[] = [];
    const { summary } = await scoreFeed(config, {
      feed,
      date: '2026-11-29',
      route: 'sync',
      qualityGate: 'off',
      uiPort: 8233,
      seed: 3,
      tty: false,
      simulator: { latencyScale: 0.02 },
      out: (line = '') => lines.push(line),
    });
    expect(lines.join('\n')).toContain('registered search attributes RunDate');
    expect(await customAttributes('score-ns')).toEqual(ours);
    expect(summary.scored + summary.deadLettered).toBe(summary.planned);
    expect(summary.planned).toBe(15 + 12);
  });

  it('refuses to start a run or a worker where it may only check, naming the attributes and the command', async () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: 'refuse-ns',
      SCORELINE_SEARCH_ATTRIBUTES: 'check',
    });
    const out: string[] = [];
    const run = startRun(config, { feed: 'f.jsonl', date: '2026-11-29', follow: false }, (s) => out.push(s));
    await expect(run).rejects.toThrow('namespace "refuse-ns" lacks the search attribute(s)');
    await expect(run).rejects.toThrow(
      'temporal operator search-attribute create --namespace refuse-ns --name RunDate --type Keyword --name RunPhase --type Keyword',
    );
    expect(out).toEqual([]); // nothing was started

    const env = {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: 'refuse-ns',
      SCORELINE_TASK_QUEUE: `refuse-${Date.now()}`,
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_API_KEY: 'sk-unused',
      SCORELINE_DB: join(dir, 'refuse.db'),
      SCORELINE_LOG_FILE: join(dir, 'refuse', 'worker.log'),
      SCORELINE_SEARCH_ATTRIBUTES: 'check',
    };
    const worker = await startWorker(env, 'refusing-worker');
    const deadline = Date.now() + 60_000;
    while (worker.running && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(worker.running).toBe(false);
    expect(worker.child.exitCode).toBe(1);
    expect(worker.output()).toContain('worker failed: namespace "refuse-ns" lacks the search attribute(s)');
    expect(worker.output()).toContain('deploy/temporal/setup-namespace.sh');
    expect(await customAttributes('refuse-ns')).toEqual([]);
  });

  it('lets a worker process register them on a dev server namespace before it polls', async () => {
    const env = {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: 'worker-ns',
      SCORELINE_TASK_QUEUE: `worker-${Date.now()}`,
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_API_KEY: 'sk-unused',
      SCORELINE_DB: join(dir, 'worker.db'),
      SCORELINE_LOG_FILE: join(dir, 'worker', 'worker.log'),
    };
    const worker = await startWorker(env, 'registering-worker');
    try {
      await worker.ready();
      expect(await customAttributes('worker-ns')).toEqual(ours);
    } finally {
      await worker.kill('SIGTERM');
    }
  });
});
