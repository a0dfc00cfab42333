import { afterEach, describe, expect, inject, it } from 'vitest';
import { scoreFeed } from '../../src/client/score';
import { Harness } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('scoreline score --feed', () => {
  it("scores the user's own JSONL file against the simulator and ends with the summary and where to look", async () => {
    harness = await new Harness({ address }).start();
    const h = harness;
    const feed = h.writeFeed({ count: 30 });
    const lines: string[] = [];
    // No OPENAI_* in the config: the command picks the simulator itself.
    const config = h.cliConfig();
    expect(config.openai.apiKey).toBeUndefined();
    const { workflowId, summary } = await scoreFeed(config, {
      feed,
      date: '2026-11-29',
      uiPort: 8233,
      seed: 7,
      tty: false,
      simulator: { latencyScale: 0.02 },
      out: (line = '') => lines.push(line),
    });
    const text = lines.join('\n');
    // 30 feed listings and the 12 canaries every run with the default criteria carries.
    expect(summary.planned).toBe(42);
    expect(summary.scored + summary.deadLettered).toBe(42);
    expect(summary.costUsd).toBeGreaterThan(0);
    expect(text).toContain('Provider   simulator');
    expect(text).toContain(`Run ${summary.runId} (2026-11-29) finished`);
    expect(text).toContain(`results ${workflowId}`);
    expect(text).toContain(`report ${workflowId} --html report.html`);
    expect(text).toContain(`/namespaces/default/workflows/${workflowId}`);
    // The run is in the test's own database, where `results` will look.
    expect((await h.store.runTotals(summary.runId)).scored).toBe(summary.scored);
  });

  it('stops before starting anything when the feed file does not exist', async () => {
    harness = await new Harness({ address }).start();
    const h = harness;
    const lines: string[] = [];
    await expect(
      scoreFeed(h.cliConfig(), {
        feed: `${h.dir}/missing.jsonl`,
        date: '2026-11-29',
        uiPort: 8233,
        seed: 7,
        out: (line = '') => lines.push(line),
      }),
    ).rejects.toThrow(`--feed ${h.dir}/missing.jsonl: no such file`);
    expect(lines).toEqual([]);
  });
});
