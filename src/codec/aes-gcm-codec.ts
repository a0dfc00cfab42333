import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { CodecKeyError, parseCodecKeys, type CodecKeyring } from './keys';

/** The `encoding` metadata value of every payload this codec produced. */
export const ENCODING_ENCRYPTED = 'binary/encrypted';
/** Metadata key naming the key that encrypted a payload, so a rotated-out key can still decrypt it. */
export const METADATA_KEY_ID = 'encryption-key-id';

const ALGORITHM = 'aes-256-gcm';
// 96-bit random nonces are GCM's recommended size; at our volume (well under 2^32 payloads
// per key) random nonces stay far from the collision bound.
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** A payload that cannot be decrypted: wrong key, altered bytes, or truncated data. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

/**
 * AES-256-GCM payload codec. Each payload is serialized whole (metadata included, so the
 * original `encoding` is hidden too), encrypted under the current key, and stored as
 * `iv | ciphertext | tag` with the key id in clear metadata.
 *
 * The key id is also the GCM additional authenticated data: relabelling a payload with a
 * different key id fails authentication instead of silently decrypting under another key.
 *
 * Payloads that were never encrypted pass through `decode` untouched, so histories written
 * before encryption was switched on stay readable.
 */
export class AesGcmCodec implements PayloadCodec {
  readonly #keyring: CodecKeyring;

  constructor(keyring: CodecKeyring | string) {
    this.#keyring = typeof keyring === 'string' ? parseCodecKeys(keyring) : keyring;
    if (!this.#keyring.keys.has(this.#keyring.currentKeyId)) {
      throw new CodecKeyError(`current key id '${this.#keyring.currentKeyId}' has no key material`);
    }
  }

  get currentKeyId(): string {
    return this.#keyring.currentKeyId;
  }

  // The work is synchronous; the Promise executor turns a throw into a rejection, which is
  // what callers of a PayloadCodec expect.
  encode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((p) => this.#encrypt(p))));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((p) => this.#decrypt(p))));
  }

  #encrypt(payload: Payload): Payload {
    const keyId = this.#keyring.currentKeyId;
    const key = this.#keyring.keys.get(keyId)!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(utf8.encode(keyId));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const body = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: utf8.encode(ENCODING_ENCRYPTED),
        [METADATA_KEY_ID]: utf8.encode(keyId),
      },
      data: body,
    };
  }

  #decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (!encoding || fromUtf8.decode(encoding) !== ENCODING_ENCRYPTED) return payload;

    const rawKeyId = payload.metadata?.[METADATA_KEY_ID];
    if (!rawKeyId) {
      throw new PayloadDecryptionError(`encrypted payload has no '${METADATA_KEY_ID}' metadata`);
    }
    const keyId = fromUtf8.decode(rawKeyId);
    const key = this.#keyring.keys.get(keyId);
    if (!key) {
      const known = [...this.#keyring.keys.keys()].join(', ');
      throw new CodecKeyError(
        `payload was encrypted with key id '${keyId}', which is not configured (known: ${known}); ` +
          'add that key back to SCORELINE_CODEC_KEYS to read it',
      );
    }
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(`encrypted payload (key id '${keyId}') is truncated`);
    }
    const iv = data.subarray(0, IV_BYTES);
    const tag = data.subarray(data.length - TAG_BYTES);
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(rawKeyId);
    decipher.setAuthTag(tag);
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      // node reports only "Unsupported state or unable to authenticate data": say what it means here.
      throw new PayloadDecryptionError(
        `encrypted payload failed authentication (key id '${keyId}'): it was altered, or the key ` +
          `configured as '${keyId}' is not the one that encrypted it`,
      );
    }
    const decoded = temporal.api.common.v1.Payload.decode(plain);
    return { metadata: decoded.metadata, data: decoded.data };
  }
}
