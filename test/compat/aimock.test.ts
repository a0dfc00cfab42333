import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/dev/temporal-binary';
import { freePort, spawnProcess, type ManagedProcess } from '../support/processes';
import { batchLineUsages, printFigures, runCompatFeed, tokenTriples } from './stack';

const address = inject('temporalAddress');
const CLI = join(PROJECT_ROOT, 'node_modules', '@copilotkit', 'aimock', 'dist', 'cli.js');
const FIXTURES = join(PROJECT_ROOT, 'test', 'compat', 'fixtures', 'aimock-scoring.json');

let aimock: ManagedProcess | undefined;
let upstream = '';

/** aimock as its own process, as its README runs it, with two of its chaos faults on. */
beforeAll(async () => {
  const port = await freePort();
  aimock = spawnProcess(
    process.execPath,
    [CLI, '--port', String(port), '--fixtures', FIXTURES, '--chaos-drop', '0.15', '--chaos-malformed', '0.1'],
    join(PROJECT_ROOT, 'test-results', `aimock-${port}.log`),
  );
  upstream = `http://127.0.0.1:${port}`;
  for (let i = 0; !aimock.output().includes('listening'); i++) {
    if (!aimock.running || i > 100) throw new Error(`aimock did not start: ${aimock.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  await aimock?.stop();
});

describe('the pipeline against aimock with dropped and malformed answers', () => {
  it('persists every listing valid or dead-letters it with a reason, and records the tokens aimock reported', async () => {
    const run = await runCompatFeed({
      address,
      upstream,
      model: 'gpt-4o-mini',
      listings: 30,
      outputMode: 'auto',
      label: 'aimock',
      run: { batchPollMs: 300 },
    });
    printFigures('aimock 1.43.0 (--chaos-drop 0.15 --chaos-malformed 0.1)', run);

    expect(run.summary.planned).toBe(30);
    expect(run.scores.length + run.deadLetters.length).toBe(30);
    for (const d of run.deadLetters) expect(d.reason.length * d.lastError.length).toBeGreaterThan(0);
    // Chaos made some calls fail; Temporal's retries turned them into answers.
    expect(run.calls.some((c) => c.status === 'error')).toBe(true);
    expect(run.scores.length).toBeGreaterThan(0);

    // Every answered chat call on the wire is one row with exactly the server's token counts.
    const wire = run.exchanges.filter((e) => e.path.endsWith('/chat/completions'));
    const sync = run.calls.filter((c) => c.route === 'sync');
    expect(sync).toHaveLength(wire.length);
    const zero = { promptTokens: 0, cachedTokens: 0, completionTokens: 0 };
    expect(tokenTriples(sync)).toEqual(tokenTriples(wire.map((e) => e.usage ?? zero)));
    // aimock has a Batch API, so `auto` uses it first (unless chaos broke every probe); its
    // lines are billed exactly as its output files say.
    const batch = run.calls.filter((c) => c.route === 'batch');
    if (batch.length === 0) expect(run.workerLog).toContain('Batch API probe kept failing');
    expect(tokenTriples(batch)).toEqual(tokenTriples(batchLineUsages(run.exchanges)));
  });
});
