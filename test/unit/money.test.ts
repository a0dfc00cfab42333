import { describe, expect, it } from 'vitest';
import { picoToUsd, usdToPico } from '../../src/shared/money';

describe('pico-dollars', () => {
  it('turns a dollar budget into a whole number of pico-dollars', () => {
    expect(usdToPico(0.1)).toBe(100_000_000_000);
    expect(Number.isInteger(usdToPico(0.000_000_123_456_7))).toBe(true);
  });

  it('gives back the dollars a pico-dollar count stands for', () => {
    expect(picoToUsd(1_234_567)).toBeCloseTo(0.000_001_234_567, 15);
    expect(picoToUsd(usdToPico(12.5))).toBe(12.5);
  });
});
