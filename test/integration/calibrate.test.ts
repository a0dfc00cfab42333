import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { calibrate } from '../../src/client/calibrate';
import { Harness } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('scoreline calibrate', () => {
  it('scores a seeded sample of a CSV export with its own column names with each model alone and reports agreement, cost per 1,000 and the cascade', async () => {
    harness = await new Harness({ address }).start();
    const h = harness;
    // A user's export: CSV, other column names, fewer fields than the generator writes.
    const generated = readFileSync(h.writeFeed({ count: 80 }), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; title: string; company: string; description: string });
    const cell = (v: string) => `"${v.replaceAll('"', '""')}"`;
    const feed = `${h.dir}/export.csv`;
    writeFileSync(
      feed,
      [
        'job_id,job_title,employer,body',
        ...generated.map((g) => [g.id, g.title, g.company, g.description].map(cell).join(',')),
      ].join('\r\n'),
    );
    const lines: string[] = [];
    const {
      calibration: c,
      runs,
      samplePath,
    } = await calibrate(h.cliConfig(), {
      feed,
      sample: 25,
      seed: 5,
      date: '2026-11-29',
      feedFlags: { map: ['id=job_id,title=job_title,company=employer,description=body'] },
      uiPort: 8233,
      tty: false,
      simulator: { latencyScale: 0.02 },
      out: (line = '') => lines.push(line),
    });
    const text = lines.join('\n');

    // The sample file holds 25 of the feed's listings, parsed through the mapping, in feed order.
    const feedIds = generated.map((g) => g.id);
    const sample = readFileSync(samplePath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; title: string });
    expect(sample).toHaveLength(25);
    const at = sample.map((l) => feedIds.indexOf(l.id));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(sample[0]!.title).toBe(generated[at[0]!]!.title);

    // Each run used its own model only, every sampled listing once, and nothing from the cache.
    for (const [run, model] of [
      [runs.small, 'gpt-4o-mini'],
      [runs.large, 'gpt-4o'],
    ] as const) {
      const calls = await h.store.listCalls({ runId: run, limit: 1000 });
      expect(new Set(calls.map((x) => x.model))).toEqual(new Set([model]));
      const scores = await h.store.listScores(run, 1000, 0);
      expect(scores.every((s) => s.source === 'llm')).toBe(true);
      expect(scores.length).toBeLessThanOrEqual(25);
    }
    expect(c.compared).toBeGreaterThanOrEqual(20);
    expect(c.costPer1000Pico.large).toBeGreaterThan(c.costPer1000Pico.small * 5);

    // The cascade's ends: 0 is the small model alone, 1 escalates nearly everything.
    expect(c.cascade.map((r) => r.escalateBelow)).toEqual([0, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    const none = c.cascade[0]!;
    expect(none.escalated).toBe(0);
    expect(none.costPer1000Pico).toBe(c.costPer1000Pico.small);
    expect(none.withinOne).toBe(c.smallVsLarge.withinOne);
    const costs = c.cascade.map((r) => r.costPer1000Pico);
    expect([...costs].sort((a, b) => a - b)).toEqual(costs);
    expect(c.cascade.find((r) => r.escalateBelow === c.recommended.escalateBelow)).toBeDefined();

    expect(text).toContain('gpt-4o-mini vs gpt-4o: ±1');
    expect(text).toContain('cost per 1,000 listings');
    expect(text).toContain(`recommended escalateBelow ${c.recommended.escalateBelow}: `);
    expect(text).toContain('← recommended');
  });
});
