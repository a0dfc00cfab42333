import type { Listing } from '../src/feed/listing';
import { LISTING_LIMITS } from '../src/feed/listing';
import type { Rng } from './random';

/** The ways a generated line can be broken; each must be rejected by the parser. */
export const MALFORMATIONS = [
  'truncatedJson',
  'missingTitle',
  'salaryAsString',
  'negativeSalary',
  'oversizedDescription',
  'wrongType',
  'duplicateId',
  'impossibleDate',
] as const;
export type Malformation = (typeof MALFORMATIONS)[number];

const FILLER =
  'This paragraph repeats because the upstream exporter concatenated the description with itself. ';

/**
 * Breaks one listing into a bad line. `earlierId` is the id of a good line already written,
 * needed to fake a duplicate; without one a different kind of damage is chosen.
 */
export function malformLine(rng: Rng, listing: Listing, earlierId: string | undefined): string {
  let kind = rng.pick(MALFORMATIONS);
  if (kind === 'duplicateId' && earlierId === undefined) kind = 'wrongType';
  const copy: Record<string, unknown> = { ...listing };
  switch (kind) {
    case 'truncatedJson': {
      // Any proper prefix of an object's JSON lacks its closing brace, so it never parses.
      const full = JSON.stringify(listing);
      return full.slice(0, rng.int(1, full.length - 2));
    }
    case 'missingTitle':
      delete copy.title;
      break;
    case 'salaryAsString':
      copy.salary = rng.pick(['80.000–95.000 EUR', '$120k', 'competitive', '45000']);
      break;
    case 'negativeSalary': {
      const base = listing.salary ?? { min: 50_000, max: 60_000, currency: 'EUR', period: 'year' as const };
      copy.salary = { ...base, min: -Math.abs(base.min || 1000) };
      break;
    }
    case 'oversizedDescription': {
      // ASCII only, so the line stays under the 64 KiB line limit and the description limit is what trips.
      const chars = LISTING_LIMITS.descriptionLength + rng.int(1, 12_000);
      copy.description = FILLER.repeat(Math.ceil(chars / FILLER.length)).slice(0, chars);
      break;
    }
    case 'wrongType':
      // An unknown key is no longer a rejection (it is set aside with a warning), a wrong type is.
      // Two draws, as the unknown-key damage this replaced took, so other lines stay as they were.
      copy[rng.pick(['remote', 'title', 'requirements', 'description'])] = rng.pick([
        42,
        0,
        { text: 'x' },
        7.5,
      ]);
      break;
    case 'duplicateId':
      copy.id = earlierId;
      break;
    case 'impossibleDate':
      copy.postedAt = rng.pick(['2023-02-29', '2024-13-01', '2024-04-31', '31.12.2024']);
      break;
  }
  return JSON.stringify(copy);
}
