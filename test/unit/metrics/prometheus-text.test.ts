import { describe, expect, it } from 'vitest';
import { metricKey, parsePrometheusText, sumSamples } from '../../../src/observability/metrics';

describe('Prometheus text reader', () => {
  it('reads bare and labelled samples, special values and timestamps, and skips comments', () => {
    const s = parsePrometheusText(
      [
        '# HELP up Whether the target answered',
        '# TYPE up gauge',
        'up 1',
        'requests_total{method="GET",code="200"} 1027 1395066363000',
        'latency_bucket{le="+Inf"} 3',
        'temperature -Inf',
        'ratio NaN',
        'tiny 1.5e-3',
        '',
        'not a sample line',
      ].join('\n'),
    );
    expect(s['up']).toBe(1);
    expect(s[metricKey('requests_total', { method: 'GET', code: '200' })]).toBe(1027);
    expect(s[metricKey('latency_bucket', { le: '+Inf' })]).toBe(3);
    expect(s['temperature']).toBe(-Infinity);
    expect(s['ratio']).toBeNaN();
    expect(s['tiny']).toBe(0.0015);
    expect(Object.keys(s)).toHaveLength(6);
  });

  it('gives a series the same key whatever order its labels were written in', () => {
    const s = parsePrometheusText('x_total{b="2",a="1"} 5\n');
    expect(Object.keys(s)).toEqual(['x_total{a="1",b="2"}']);
    expect(s[metricKey('x_total', { a: '1', b: '2' })]).toBe(5);
  });

  it('unescapes label values holding quotes, backslashes, newlines, commas and braces', () => {
    const s = parsePrometheusText(String.raw`msg{text="say \"hi\", {ok}",path="C:\\tmp",multi="a\nb"} 2`);
    const labels = { text: 'say "hi", {ok}', path: 'C:\\tmp', multi: 'a\nb' };
    expect(s[metricKey('msg', labels)]).toBe(2);
    // The key is itself exposition text, so it reads back to the same labels.
    expect(sumSamples(s, 'msg', { text: 'say "hi", {ok}' })).toBe(2);
  });

  it('sums the series of one metric that match a label subset', () => {
    const s = parsePrometheusText(
      [
        'calls_total{model="a",outcome="ok"} 3',
        'calls_total{model="a",outcome="error"} 2',
        'calls_total{model="b",outcome="ok"} 7',
        'calls_total_other{model="a"} 100',
      ].join('\n'),
    );
    expect(sumSamples(s, 'calls_total')).toBe(12);
    expect(sumSamples(s, 'calls_total', { model: 'a' })).toBe(5);
    expect(sumSamples(s, 'calls_total', { model: 'a', outcome: 'ok' })).toBe(3);
    expect(sumSamples(s, 'calls_total', { model: 'c' })).toBe(0);
  });
});
