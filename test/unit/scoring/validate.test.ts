import { describe, expect, it } from 'vitest';
import { validateModelOutput } from '../../../src/scoring/validate';

const call = (args: unknown, extra: Partial<{ finishReason: string; refusal: string }> = {}) =>
  validateModelOutput({
    finishReason: extra.finishReason ?? 'stop',
    toolArguments: typeof args === 'string' ? args : JSON.stringify(args),
    refusal: extra.refusal ?? null,
  });

describe('validateModelOutput', () => {
  it('accepts a complete, in-bounds answer', () => {
    expect(call({ score: 7, confidence: 0.8, reasoning: 'Strong TypeScript match.' })).toEqual({
      valid: true,
      result: { score: 7, confidence: 0.8, reasoning: 'Strong TypeScript match.' },
    });
  });

  it.each([
    [{ score: 11, confidence: 0.5, reasoning: 'x' }, 'score'],
    [{ score: 0, confidence: 0.5, reasoning: 'x' }, 'score'],
    [{ score: 6.5, confidence: 0.5, reasoning: 'x' }, 'whole number'],
    [{ score: 5, confidence: 1.4, reasoning: 'x' }, 'confidence'],
    [{ score: 5, confidence: -0.1, reasoning: 'x' }, 'confidence'],
    [{ score: 5, confidence: 0.5, reasoning: 'r'.repeat(201) }, '200 characters'],
    [{ score: 5, confidence: 0.5, reasoning: '   ' }, 'empty'],
    [{ score: 5, confidence: 0.5 }, 'reasoning'],
    [{ score: 5, confidence: 0.5, reasoning: 'x', extra: true }, 'extra'],
    [{ score: '5', confidence: 0.5, reasoning: 'x' }, 'score'],
  ])('rejects %j and names the problem (%s)', (args, expected) => {
    const verdict = call(args);
    expect(verdict.valid).toBe(false);
    if (!verdict.valid) expect(verdict.reason.toLowerCase()).toContain(expected.toLowerCase());
  });

  it('rejects arguments that are not JSON', () => {
    const v = call('{"score": 5, "confidence": 0.5, "reasoning": "cut');
    expect(v).toMatchObject({ valid: false });
    if (!v.valid) expect(v.reason).toMatch(/^invalid JSON/);
  });

  it('rejects a refusal, a truncated answer, and a missing tool call', () => {
    expect(call({}, { refusal: 'I cannot help with that.' })).toMatchObject({
      valid: false,
      reason: expect.stringMatching(/^refusal/) as unknown,
    });
    expect(call({ score: 5 }, { finishReason: 'length' })).toMatchObject({
      valid: false,
      reason: expect.stringMatching(/^truncated/) as unknown,
    });
    expect(validateModelOutput({ finishReason: 'stop', toolArguments: null, refusal: null })).toMatchObject({
      valid: false,
    });
  });
});
