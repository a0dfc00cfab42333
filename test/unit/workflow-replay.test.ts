import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../support/harness';

const DIR = join(__dirname, '..', 'fixtures', 'histories');
/** file → the workflow id it was recorded under (child ids derive from it, so replay must reuse it). */
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Record<string, string>;
const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'manifest.json');

describe('workflow determinism', () => {
  it('has a recorded history for every workflow type', () => {
    const types = new Set(
      fixtures.map((f) => {
        const h = JSON.parse(readFileSync(join(DIR, f), 'utf8')) as {
          events: Array<{ workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }>;
        };
        return h.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
      }),
    );
    expect([...types].sort()).toEqual(['batchScoring', 'dailyScoringRun', 'scoringShard']);
    expect(Object.keys(manifest).sort()).toEqual([...fixtures].sort());
  });

  it.each(fixtures)(
    'replays %s from a real run without nondeterminism',
    async (file) => {
      const history: unknown = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, manifest[file]);
    },
    60_000,
  );
});
