import { hash32 } from './random';

// Brand names are two made-up halves, so the feed never names a real employer.
// prettier-ignore
const HEADS = ['North', 'Blue', 'Silver', 'Quanta', 'Helio', 'Nova', 'Iron', 'Bright', 'Atlas', 'Cedar', 'Lumen', 'Kite', 'Orbit', 'Vanta', 'Harbor', 'Pine', 'Ember', 'Terra', 'Solace', 'Maple', 'Crest', 'Delta', 'Fjord', 'Opal'];
// prettier-ignore
const TAILS = ['wind', 'peak', 'stack', 'leaf', 'forge', 'gate', 'line', 'works', 'field', 'bridge', 'loop', 'mark', 'path', 'ware', 'cast', 'craft', 'flow', 'point', 'scale', 'shore'];
// prettier-ignore
const SUFFIXES = ['', '', '', ' Labs', ' Health', ' Systems', ' Group', ' Logistics', ' Analytics', ' GmbH', ' Inc.', ' Ltd', ' SAS', ' B.V.', ' AG', ' S.L.', ' Sp. z o.o.', ' K.K.', ' Studios', ' Energy', ' Bank', ' Care'];

/** Number of distinct employers; several listings share one, as in real feeds. */
export const COMPANY_COUNT = 900;

/** A stable, seeded employer name for index 0..COMPANY_COUNT-1. */
export function companyName(seed: number, index: number): string {
  const h = hash32(seed, index, 0xc0);
  const head = HEADS[h % HEADS.length] ?? 'North';
  const tail = TAILS[(h >>> 8) % TAILS.length] ?? 'wind';
  const suffix = SUFFIXES[(h >>> 16) % SUFFIXES.length] ?? '';
  return `${head}${tail}${suffix}`;
}

/** A hostname-safe slug, for the generated careers-page URLs. */
export function companySlug(name: string): string {
  let slug = slugs.get(name);
  if (slug === undefined) {
    slug = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    slugs.set(name, slug);
  }
  return slug;
}
// Bounded by the number of distinct company names (a few thousand at most).
const slugs = new Map<string, string>();
