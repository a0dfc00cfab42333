import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { dailyScoringRun } from '../../src/workflows';
import { feedRun, Harness } from '../support/harness';

const address = inject('temporalAddress');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('payload encryption', () => {
  it('runs end to end with every payload in history encrypted, and the client reads the result', async () => {
    const keys = `k1:${randomBytes(32).toString('base64')}`;
    harness = await new Harness({ address, codecKeys: keys, simulator: { latencyScale: 0 } }).start();
    const h = harness;
    const feedPath = h.writeFeed({ count: 20 });
    const workflowId = h.workflowId('encrypted');
    const summary = await h.withWorkers(() =>
      h.client.workflow.execute(dailyScoringRun, {
        taskQueue: h.taskQueue,
        workflowId,
        args: [feedRun(feedPath, { route: 'sync' })],
      }),
    );
    expect(summary.scored + summary.deadLettered).toBe(20);
    // Read the raw history: no payload may be plain JSON, and the feed path (input) is not readable.
    const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
    const raw = JSON.stringify(history);
    expect(raw).not.toContain(feedPath);
    const encodings = new Set<string>();
    const plainAt: string[] = [];
    const walk = (v: unknown, path: string): void => {
      if (!v || typeof v !== 'object') return;
      const meta = (v as { metadata?: Record<string, unknown> }).metadata;
      if (meta && meta.encoding instanceof Uint8Array) {
        const encoding = Buffer.from(meta.encoding).toString();
        encodings.add(encoding);
        if (encoding === 'json/plain') plainAt.push(path);
      }
      // Search attributes stay readable by design: the server indexes them (they hold counts
      // only). So do patch markers: the SDK's core writes them itself, and they hold only the
      // patch's name (e.g. "feed-wait"), never data of ours.
      const marker = (v as { markerRecordedEventAttributes?: { markerName?: string } })
        .markerRecordedEventAttributes;
      if (marker?.markerName === 'core_patch') return;
      for (const [key, child] of Object.entries(v))
        if (key !== 'searchAttributes') walk(child, `${path}.${key}`);
    };
    walk(history, 'history');
    expect(plainAt).toEqual([]);
    expect(encodings.has('binary/encrypted')).toBe(true);
    expect(encodings.has('json/plain')).toBe(false);
  });
});
