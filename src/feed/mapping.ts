import { extname } from 'node:path';
import { FEED_FIELDS, SALARY_PARTS, type FeedField } from './listing';

/**
 * Field mapping: which key (JSONL) or column (CSV) of the user's export holds which listing
 * field, so an export with its own names works unchanged. Written target → source, the way a
 * user thinks of it ("title comes from job_title").
 */
export type FieldMapping = Partial<Record<FeedField, string>>;

export type FeedFormat = 'jsonl' | 'csv';
export const FEED_FORMATS: readonly FeedFormat[] = ['jsonl', 'csv'];

/** A mapping or format the feed cannot be read with: the user's to fix, never worth a retry. */
export class FeedConfigError extends Error {
  override name = 'FeedConfigError';
}

const isField = (name: string): name is FeedField => (FEED_FIELDS as readonly string[]).includes(name);

/**
 * Checks a mapping object (from `--map` or a mapping file): every target must be a field we
 * know, every source a non-empty name, and no source may feed two fields. `where` names the
 * origin in messages ("--map", "mapping file m.json").
 */
export function validateMapping(value: unknown, where: string): FieldMapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FeedConfigError(
      `${where} must be a JSON object of field → source name, like {"title": "job_title"}`,
    );
  }
  const out: FieldMapping = {};
  const targetOf = new Map<string, string>();
  for (const [target, source] of Object.entries(value as Record<string, unknown>)) {
    if (!isField(target)) {
      throw new FeedConfigError(
        `${where}: "${target}" is not a listing field; fields are ${FEED_FIELDS.join(', ')}`,
      );
    }
    if (typeof source !== 'string' || source.trim() === '') {
      throw new FeedConfigError(`${where}: the source for ${target} must be a non-empty column or key name`);
    }
    const other = targetOf.get(source);
    if (other !== undefined) {
      throw new FeedConfigError(`${where}: "${source}" is mapped to both ${other} and ${target}`);
    }
    targetOf.set(source, target);
    out[target] = source;
  }
  return out;
}

/** `title=job_title,description=body` → a checked mapping. */
export function parseMapSpec(spec: string, where = '--map'): FieldMapping {
  const pairs: Record<string, string> = {};
  for (const part of spec.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0)
      throw new FeedConfigError(`${where}: "${part}" must look like field=source (e.g. title=job_title)`);
    const target = part.slice(0, eq).trim();
    if (target in pairs) throw new FeedConfigError(`${where}: ${target} is mapped twice`);
    pairs[target] = part.slice(eq + 1).trim();
  }
  return validateMapping(pairs, where);
}

/** The format the user named, else the one the file name says (.csv; anything else is JSON lines). */
export function feedFormatFor(path: string, explicit?: string): FeedFormat {
  if (explicit !== undefined) {
    if ((FEED_FORMATS as readonly string[]).includes(explicit)) return explicit as FeedFormat;
    throw new FeedConfigError(`feed format must be one of ${FEED_FORMATS.join(', ')}, got "${explicit}"`);
  }
  return extname(path).toLowerCase() === '.csv' ? 'csv' : 'jsonl';
}

/** Lower case without separators: `posted_at`, `Posted At` and `postedAt` all read as postedat. */
const loose = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const LOOSE_FIELDS = new Map(FEED_FIELDS.map((f) => [loose(f), f]));

/** How sure a key's reading is: a mapped name beats an exact field name, which beats a loose match. */
export type KeyRank = 2 | 1 | 0;

/**
 * Reads a key or column name as a field. A field that the mapping sources from elsewhere is
 * not also read under its own name: with `title=job_title`, a `title` key is someone else's.
 */
export class KeyResolver {
  private readonly bySource = new Map<string, FeedField>();
  private readonly mappedTargets = new Set<FeedField>();
  private readonly cache = new Map<string, { field: FeedField; rank: KeyRank } | null>();

  constructor(mapping: FieldMapping = {}) {
    for (const [target, source] of Object.entries(mapping) as Array<[FeedField, string]>) {
      this.bySource.set(source, target);
      this.mappedTargets.add(target);
    }
  }

  get sources(): string[] {
    return [...this.bySource.keys()];
  }

  resolve(key: string): { field: FeedField; rank: KeyRank } | null {
    let hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const mapped = this.bySource.get(key);
    if (mapped !== undefined) hit = { field: mapped, rank: 2 };
    else if (isField(key) && !this.mappedTargets.has(key)) hit = { field: key, rank: 1 };
    else {
      const field = LOOSE_FIELDS.get(loose(key));
      hit = field !== undefined && !this.mappedTargets.has(field) ? { field, rank: 0 } : null;
    }
    // Bounded: a feed with a million distinct keys is broken anyway, and must not eat memory.
    if (this.cache.size < 10_000) this.cache.set(key, hit);
    return hit;
  }
}

export const SALARY_PART_NAMES = Object.keys(SALARY_PARTS) as Array<keyof typeof SALARY_PARTS>;
