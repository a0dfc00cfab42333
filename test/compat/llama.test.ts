import { describe, expect, inject, it } from 'vitest';
import { OUTPUT_MODE_FALLBACK } from '../../src/llm/client';
import { printFigures, runCompatFeed, tokenTriples } from './stack';

const address = inject('temporalAddress');

describe('the pipeline against llama.cpp with a real small model', () => {
  it('scores in auto mode through json_schema, synchronously without a batch attempt, billing what llama.cpp reported', async () => {
    const run = await runCompatFeed({
      address,
      upstream: inject('llamaUpstream'),
      model: inject('llamaModel'),
      listings: 5,
      outputMode: 'auto',
      label: 'llama',
      env: {
        // What a user of a CPU-only local server sets: one call per server slot at a time,
        // and a timeout that suits seconds per call on a shared 2-core machine.
        SCORELINE_MAX_CONCURRENT_ACTIVITIES: '2',
        SCORELINE_CALL_TIMEOUT_MS: '110000',
      },
    });
    printFigures('llama.cpp (xllamacpp 2026.10.11549) with SmolLM2-135M-Instruct Q4_1', run);

    // No silent loss: each listing is persisted valid or parked with a reason.
    expect(run.summary.planned).toBe(5);
    expect(run.scores.length + run.deadLetters.length).toBe(5);
    for (const d of run.deadLetters) expect(d.reason.length * d.lastError.length).toBeGreaterThan(0);

    // llama.cpp has no Batch API: `auto` asked once (404) and never uploaded or created a batch.
    const batchApi = run.exchanges.filter((e) => /\/v1\/(files|batches)\b/.test(e.path));
    expect(batchApi.length).toBeGreaterThan(0);
    expect(batchApi.every((e) => e.method === 'GET' && e.status === 404)).toBe(true);
    expect(run.calls.filter((c) => c.route === 'batch')).toHaveLength(0);

    // It ignores a forced tool_choice: the calls in flight when that was learned went out with
    // tools (at most one per concurrent slot), every later one with json_schema.
    const chat = run.exchanges.filter((e) => e.path.endsWith('/chat/completions'));
    const fallbacks = run.calls.filter((c) => c.errorType === OUTPUT_MODE_FALLBACK);
    expect(fallbacks.length).toBeGreaterThanOrEqual(1);
    expect(chat.filter((e) => e.mode === 'tools').length).toBeLessThanOrEqual(2);
    expect(chat.filter((e) => e.mode === 'json_schema').length).toBeGreaterThanOrEqual(chat.length - 2);
    expect(run.workerLog.split('now asks it for response_format json_schema').length - 1).toBe(1);

    // Every call on the wire is one row, with exactly the tokens llama.cpp reported.
    expect(run.calls).toHaveLength(chat.length);
    const zero = { promptTokens: 0, cachedTokens: 0, completionTokens: 0 };
    expect(tokenTriples(run.calls)).toEqual(tokenTriples(chat.map((e) => e.usage ?? zero)));
  });
});
