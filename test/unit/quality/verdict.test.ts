import { describe, expect, it } from 'vitest';
import { createMetrics, metricKey, parsePrometheusText } from '../../../src/observability/metrics';
import { judgeRecordedCall } from '../../../src/quality/verdict';
import type { CallRecord, CallVerdict } from '../../../src/store/store';
import { call as fixture } from '../../store/fixtures';

function recorded(over: Partial<CallRecord>): CallRecord {
  const base = fixture({ route: 'batch', toolArguments: '{"score":7,"confidence":0.8,"reasoning":"fits"}' });
  return {
    id: 7,
    validation: 'pending',
    validationError: null,
    score: null,
    confidence: null,
    reasoning: null,
    ...base,
    ...over,
  };
}

function deps() {
  const verdicts: Array<[number, CallVerdict]> = [];
  const warnings: unknown[] = [];
  const metrics = createMetrics();
  return {
    verdicts,
    warnings,
    metrics,
    deps: {
      store: {
        setCallVerdict: (id: number, v: CallVerdict) => {
          verdicts.push([id, v]);
          return Promise.resolve();
        },
      },
      metrics,
      logger: { warn: (obj: unknown) => void warnings.push(obj) },
    },
  };
}

const validations = async (m: ReturnType<typeof createMetrics>, labels: Record<string, string>) =>
  parsePrometheusText(await m.registry.metrics())[metricKey('scoreline_validation_results_total', labels)] ??
  0;

describe('the verdict on a recorded answer', () => {
  it('writes, counts and logs a batch answer the way it does a sync one', async () => {
    const d = deps();
    const verdict = await judgeRecordedCall(d.deps, recorded({ toolArguments: '{"score":42}' }));
    expect(verdict.valid).toBe(false);
    expect(d.verdicts[0]?.[1]).toMatchObject({ validation: 'invalid' });
    expect(d.warnings[0]).toMatchObject({ event: 'validation_failed', route: 'batch', code: 'schema' });
    const labels = { model: 'gpt-4o-mini', result: 'invalid', reason: 'schema' };
    expect(await validations(d.metrics, labels)).toBe(1);
  });

  it('reads back a verdict already on the row instead of judging again', async () => {
    const d = deps();
    const judged = recorded({ validation: 'valid', score: 7, confidence: 0.8, reasoning: 'fits' });
    expect(await judgeRecordedCall(d.deps, judged)).toEqual({ valid: true, score: 7, confidence: 0.8 });
    expect(d.verdicts).toEqual([]);
    expect(await validations(d.metrics, { model: 'gpt-4o-mini', result: 'valid', reason: 'none' })).toBe(0);
  });
});
