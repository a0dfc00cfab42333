import { createHash } from 'node:crypto';
import type { Listing } from './listing';

/**
 * JSON with object keys sorted recursively (by UTF-16 code unit, as Array#sort does), so two
 * objects with the same content always give the same text whatever order their keys came in.
 * Array order is content and is kept. Properties whose value is undefined are dropped, as
 * JSON.stringify does, so `{ url: undefined }` and `{}` hash alike. Non-finite numbers and
 * bigints throw instead of degrading to `null`, which would make different values collide.
 */
export function canonicalJson(value: unknown): string {
  const out = encode(value);
  if (out === undefined) throw new TypeError(`canonicalJson: ${typeof value} is not representable in JSON`);
  return out;
}

function encode(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value))
        throw new TypeError(`canonicalJson: ${value} is not representable in JSON`);
      return JSON.stringify(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      throw new TypeError('canonicalJson: bigint is not representable in JSON');
    case 'object':
      break;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    // Inside arrays JSON.stringify writes null for unrepresentable items; do the same.
    return `[${value.map((item) => encode(item) ?? 'null').join(',')}]`;
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return encode(withToJson.toJSON());

  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const encoded = encode(record[key]);
    if (encoded !== undefined) parts.push(`${JSON.stringify(key)}:${encoded}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * sha256 (hex) of the listing's canonical JSON. Every field counts, id included: a cache keyed
 * by this hash may skip re-scoring only when nothing at all changed.
 */
export function contentHash(listing: Listing): string {
  return createHash('sha256').update(canonicalJson(listing), 'utf8').digest('hex');
}
