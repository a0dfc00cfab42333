import { describe, expect, it } from 'vitest';
import { belowEscalation, mayEscalate } from '../../../src/scoring/escalation';

const models = { small: 'gpt-4o-mini', large: 'gpt-4o' };

describe('the escalation rule', () => {
  it('escalates a confidence strictly below the threshold, and nothing when the cascade is off', () => {
    expect(belowEscalation(0.59, 0.6)).toBe(true);
    expect(belowEscalation(0.6, 0.6)).toBe(false);
    expect(belowEscalation(0.1, 0)).toBe(false);
    expect(belowEscalation(0.1, undefined)).toBe(false);
  });

  it("escalates only the small model's answers, and only when a distinct large model exists", () => {
    expect(mayEscalate('gpt-4o-mini', models)).toBe(true);
    expect(mayEscalate('gpt-4o', models)).toBe(false);
    expect(mayEscalate('gpt-4o', { small: 'gpt-4o', large: 'gpt-4o' })).toBe(false);
  });
});
