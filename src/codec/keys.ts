/**
 * Encryption keys for the payload codec, read from one env value such as
 * `SCORELINE_CODEC_KEYS="k2:<base64>,k1:<base64>"`.
 *
 * The first key encrypts; every listed key decrypts. That ordering is the whole rotation
 * story: put a new key first and keep the old ones after it for as long as histories
 * encrypted with them are still read (retention period plus replays).
 */

/** AES-256 needs exactly 32 bytes of key material. */
export const KEY_BYTES = 32;

export interface CodecKeyring {
  /** Id of the key that encrypts new payloads: the first one listed. */
  readonly currentKeyId: string;
  /** Every key that may decrypt, by id, the current one included. */
  readonly keys: ReadonlyMap<string, Buffer>;
}

export class CodecKeyError extends Error {
  override name = 'CodecKeyError';
}

// Key ids travel in payload metadata and in error messages: keep them short and printable.
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Parses `id:base64key` entries separated by commas (whitespace around entries is ignored).
 * Throws {@link CodecKeyError} naming `source` (the env var) and the offending key id, never
 * the key material itself.
 */
export function parseCodecKeys(spec: string | undefined, source = 'SCORELINE_CODEC_KEYS'): CodecKeyring {
  if (spec === undefined || spec.trim() === '') {
    throw new CodecKeyError(
      `${source} is not set: give at least one key as "id:base64key" (generate one with: openssl rand -base64 32)`,
    );
  }
  const keys = new Map<string, Buffer>();
  let currentKeyId: string | undefined;
  for (const [index, rawEntry] of spec.split(',').entries()) {
    const entry = rawEntry.trim();
    const colon = entry.indexOf(':');
    if (colon < 0) {
      throw new CodecKeyError(`${source} entry ${index + 1} is not "id:base64key"`);
    }
    const id = entry.slice(0, colon).trim();
    const material = entry.slice(colon + 1).trim();
    if (!KEY_ID.test(id)) {
      throw new CodecKeyError(
        `${source} entry ${index + 1} has an invalid key id: use 1-64 characters from A-Z a-z 0-9 . _ -`,
      );
    }
    if (keys.has(id)) throw new CodecKeyError(`${source} lists key id '${id}' twice`);
    if (!BASE64.test(material)) {
      throw new CodecKeyError(`${source} key '${id}' is not standard base64`);
    }
    const key = Buffer.from(material, 'base64');
    if (key.length !== KEY_BYTES) {
      throw new CodecKeyError(
        `${source} key '${id}' is ${key.length} bytes; AES-256-GCM needs exactly ${KEY_BYTES} ` +
          '(generate one with: openssl rand -base64 32)',
      );
    }
    keys.set(id, key);
    currentKeyId ??= id;
  }
  // The loop ran at least once on a non-empty spec, so a current key exists.
  return { currentKeyId: currentKeyId!, keys };
}
