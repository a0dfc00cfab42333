import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { describe, expect, it } from 'vitest';
import { buildScoringRequest, promptText, worstCaseUsage } from '../../../src/scoring/prompt';
import type { Listing } from '../../../src/feed/listing';
import { validListing } from '../feed/fixtures';

describe("a request's worst-case usage", () => {
  it('bounds the real token count of the prompt in any script, and the whole output allowance', () => {
    const enc = new Tiktoken(o200kBase);
    for (const description of [
      'Senior backend engineer, Go and PostgreSQL, remote within the EU.',
      'Ingénieur logiciel senior — équipe paiements, Paris, télétravail partiel.',
      'シニアバックエンドエンジニア（Go、PostgreSQL）東京・リモート可',
      'مهندس برمجيات أول للأنظمة الخلفية، دبي، عمل عن بعد',
    ]) {
      const request = buildScoringRequest(
        'gpt-4o-mini',
        'Backend roles',
        validListing({ description }) as Listing,
      );
      const worst = worstCaseUsage(request);
      expect(worst.promptTokens).toBeGreaterThanOrEqual(enc.encode(promptText(request)).length);
      expect(worst.completionTokens).toBe(request.max_completion_tokens);
      expect(worst.cachedTokens).toBe(0);
    }
  });
});
