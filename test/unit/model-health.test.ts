import { describe, expect, it } from 'vitest';
import { ModelHealth } from '../../src/workflows/model-health';

const q = (model: string) => ({ model, taskQueue: `q-${model}` });
const fallbacks = { 'gpt-4o-mini': q('gpt-4.1-mini'), 'gpt-4o': q('gpt-4.1') };

describe('ModelHealth', () => {
  it('replaces a model the API says does not exist at once', () => {
    const switches: string[] = [];
    const h = new ModelHealth((from, to) => switches.push(`${from}->${to}`));
    expect(h.resolve(q('gpt-4o'), fallbacks).model).toBe('gpt-4o');
    h.failed('gpt-4o', 'LlmModelNotFound');
    expect(h.resolve(q('gpt-4o'), fallbacks).model).toBe('gpt-4.1');
    expect(switches).toEqual(['gpt-4o->gpt-4.1']);
  });

  it('replaces a model after a 5xx streak while another model keeps answering', () => {
    const h = new ModelHealth(() => {});
    h.resolve(q('gpt-4o'), fallbacks);
    for (let i = 0; i < 5; i++) {
      h.failed('gpt-4o', 'LlmServerError');
      h.succeeded('gpt-4o-mini');
    }
    expect(h.resolve(q('gpt-4o'), fallbacks).model).toBe('gpt-4.1');
  });

  it('keeps the model when every model fails at once: that is an outage, not a bad model', () => {
    const h = new ModelHealth(() => {});
    h.resolve(q('gpt-4o'), fallbacks);
    for (let i = 0; i < 20; i++) {
      h.failed('gpt-4o', 'LlmServerError');
      h.failed('gpt-4o-mini', 'LlmServerError');
    }
    expect(h.resolve(q('gpt-4o'), fallbacks).model).toBe('gpt-4o');
    expect(h.resolve(q('gpt-4o-mini'), fallbacks).model).toBe('gpt-4o-mini');
  });

  it('forgives a streak broken by a success', () => {
    const h = new ModelHealth(() => {});
    h.resolve(q('gpt-4o'), fallbacks);
    for (let i = 0; i < 10; i++) {
      h.failed('gpt-4o', 'LlmServerError');
      h.succeeded('gpt-4o-mini');
      if (i % 3 === 0) h.succeeded('gpt-4o');
    }
    expect(h.resolve(q('gpt-4o'), fallbacks).model).toBe('gpt-4o');
  });
});
