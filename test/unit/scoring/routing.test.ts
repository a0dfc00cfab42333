import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING, routeListing } from '../../../src/scoring/routing';

describe('routeListing', () => {
  it('sends a short English listing with few requirements to the small model', () => {
    expect(routeListing({ approxTokens: 300, language: 'en', requirements: 4 })).toMatchObject({
      tier: 'small',
      model: 'gpt-4o-mini',
    });
  });

  it('sends a long listing to the large model', () => {
    expect(routeListing({ approxTokens: 2000, language: 'en', requirements: 2 })).toMatchObject({
      tier: 'large',
      model: 'gpt-4o',
    });
  });

  it('sends a listing with many requirements to the large model', () => {
    expect(routeListing({ approxTokens: 300, language: 'en', requirements: 13 }).tier).toBe('large');
  });

  it('sends a mid-sized non-English listing to the large model but keeps a short one small', () => {
    expect(routeListing({ approxTokens: 800, language: 'de', requirements: 3 }).tier).toBe('large');
    expect(routeListing({ approxTokens: 200, language: 'de', requirements: 3 }).tier).toBe('small');
  });

  it('uses the configured models for each tier', () => {
    const cfg = { ...DEFAULT_ROUTING, models: { small: 'gpt-4.1-nano', large: 'gpt-4.1' } };
    expect(routeListing({ approxTokens: 100, language: 'en', requirements: 0 }, cfg).model).toBe(
      'gpt-4.1-nano',
    );
    expect(routeListing({ approxTokens: 5000, language: 'en', requirements: 0 }, cfg).model).toBe('gpt-4.1');
  });
});
