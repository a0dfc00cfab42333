import { describe, expect, it } from 'vitest';
import { chooseProvider } from '../../../src/client/provider';

describe('the provider score and calibrate use', () => {
  it('is the simulator when the environment names no provider', () => {
    expect(chooseProvider({ apiKey: undefined, baseURL: undefined, timeoutMs: 1 }).kind).toBe('simulator');
  });

  it('is OpenAI itself with OPENAI_API_KEY alone, and says so', () => {
    const p = chooseProvider({ apiKey: 'sk-real', baseURL: undefined, timeoutMs: 1 });
    expect(p).toMatchObject({ kind: 'real', apiKey: 'sk-real', baseURL: undefined });
    expect(p.describe).toContain('https://api.openai.com/v1 (from OPENAI_API_KEY;');
    expect(p.describe).not.toContain('sk-real');
  });

  it('is a local OpenAI-compatible server with OPENAI_BASE_URL alone, with a placeholder key', () => {
    const p = chooseProvider({ apiKey: undefined, baseURL: 'http://127.0.0.1:8080/v1', timeoutMs: 1 });
    expect(p).toMatchObject({
      kind: 'real',
      baseURL: 'http://127.0.0.1:8080/v1',
      apiKey: 'sk-no-key-required',
    });
    expect(p.describe).toContain('(from OPENAI_BASE_URL;');
  });
});
