import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import {
  AesGcmCodec,
  CodecKeyError,
  createDataConverter,
  ENCODING_ENCRYPTED,
  METADATA_KEY_ID,
  parseCodecKeys,
  PayloadDecryptionError,
} from '../../../src/codec';

const newKey = () => randomBytes(32).toString('base64');
const k1 = newKey();
const k2 = newKey();
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? new Uint8Array()).toString('utf8');

const listing = { runDate: '2025-01-31', listingId: 'L-42', title: 'Senior engineer, Zürich 💼' };
const plain = (): Payload => defaultPayloadConverter.toPayload(listing);

async function encryptOne(codec: AesGcmCodec, p: Payload = plain()): Promise<Payload> {
  const [encrypted] = await codec.encode([p]);
  return encrypted!;
}

describe('AesGcmCodec', () => {
  it('round-trips a payload and hides its original encoding and content', async () => {
    const codec = new AesGcmCodec(`k1:${k1}`);
    const encrypted = await encryptOne(codec);

    expect(text(encrypted.metadata?.[METADATA_ENCODING_KEY])).toBe(ENCODING_ENCRYPTED);
    expect(text(encrypted.metadata?.[METADATA_KEY_ID])).toBe('k1');
    expect(Object.keys(encrypted.metadata ?? {}).sort()).toEqual(
      [METADATA_ENCODING_KEY, METADATA_KEY_ID].sort(),
    );
    expect(text(encrypted.data)).not.toContain('L-42');

    const [decrypted] = await codec.decode([encrypted]);
    expect(defaultPayloadConverter.fromPayload(decrypted!)).toEqual(listing);
    expect(text(decrypted!.metadata?.[METADATA_ENCODING_KEY])).toBe('json/plain');
  });

  it('encrypts the same payload differently each time (fresh IV)', async () => {
    const codec = new AesGcmCodec(`k1:${k1}`);
    const [a, b] = await codec.encode([plain(), plain()]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('round-trips empty and binary payloads, keeping order', async () => {
    const codec = new AesGcmCodec(`k1:${k1}`);
    const inputs: Payload[] = [
      { metadata: { [METADATA_ENCODING_KEY]: Buffer.from('binary/null') } },
      { metadata: { [METADATA_ENCODING_KEY]: Buffer.from('binary/plain') }, data: randomBytes(4096) },
      plain(),
    ];
    const decoded = await codec.decode(await codec.encode(inputs));
    expect(decoded.map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('hex'))).toEqual(
      inputs.map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('hex')),
    );
    expect(decoded.map((p) => text(p.metadata?.[METADATA_ENCODING_KEY]))).toEqual([
      'binary/null',
      'binary/plain',
      'json/plain',
    ]);
  });

  it('passes payloads that were never encrypted through decode unchanged', async () => {
    const codec = new AesGcmCodec(`k1:${k1}`);
    const p = plain();
    expect(await codec.decode([p])).toEqual([p]);
  });

  it('detects a flipped ciphertext bit through the GCM auth tag', async () => {
    const codec = new AesGcmCodec(`k1:${k1}`);
    const encrypted = await encryptOne(codec);
    const data = Buffer.from(encrypted.data!);
    data[20]! ^= 0x01;
    await expect(codec.decode([{ ...encrypted, data }])).rejects.toThrow(PayloadDecryptionError);
  });

  it('detects an altered auth tag and a truncated payload', async () => {
    const codec = new AesGcmCodec(`k1:${k1}`);
    const encrypted = await encryptOne(codec);
    const data = Buffer.from(encrypted.data!);
    data[data.length - 1]! ^= 0x80;
    await expect(codec.decode([{ ...encrypted, data }])).rejects.toThrow(/failed authentication/);
    await expect(codec.decode([{ ...encrypted, data: data.subarray(0, 20) }])).rejects.toThrow(/truncated/);
  });

  it('rejects a payload relabelled with another configured key id', async () => {
    const codec = new AesGcmCodec(`k2:${k2},k1:${k1}`);
    const encrypted = await encryptOne(codec);
    const relabelled = {
      ...encrypted,
      metadata: { ...encrypted.metadata, [METADATA_KEY_ID]: Buffer.from('k1') },
    };
    await expect(codec.decode([relabelled])).rejects.toThrow(/failed authentication \(key id 'k1'\)/);
  });

  it('rotates keys: the first key encrypts new payloads, an older key still decrypts old ones', async () => {
    const before = new AesGcmCodec(`k1:${k1}`);
    const oldPayload = await encryptOne(before);

    const after = new AesGcmCodec(`k2:${k2},k1:${k1}`);
    const newPayload = await encryptOne(after);
    expect(text(newPayload.metadata?.[METADATA_KEY_ID])).toBe('k2');

    const [oldDecoded, newDecoded] = await after.decode([oldPayload, newPayload]);
    expect(defaultPayloadConverter.fromPayload(oldDecoded!)).toEqual(listing);
    expect(defaultPayloadConverter.fromPayload(newDecoded!)).toEqual(listing);
    // A process still on the old keyring cannot read what the new key wrote: roll keys out to
    // every reader before any writer encrypts with them.
    await expect(before.decode([newPayload])).rejects.toThrow(CodecKeyError);
  });

  it('names the unknown key id and the known ones when a key was dropped too early', async () => {
    const oldPayload = await encryptOne(new AesGcmCodec(`k1:${k1}`));
    const codec = new AesGcmCodec(`k3:${newKey()},k2:${k2}`);
    await expect(codec.decode([oldPayload])).rejects.toThrow(
      "payload was encrypted with key id 'k1', which is not configured (known: k3, k2)",
    );
  });

  it('rejects an encrypted payload without a key id', async () => {
    const codec = new AesGcmCodec(`k1:${k1}`);
    const encrypted = await encryptOne(codec);
    const metadata = { [METADATA_ENCODING_KEY]: encrypted.metadata![METADATA_ENCODING_KEY]! };
    await expect(codec.decode([{ metadata, data: encrypted.data }])).rejects.toThrow(
      /no 'encryption-key-id'/,
    );
  });

  it('is what createDataConverter installs as the only payload codec', async () => {
    const converter = createDataConverter(`k1:${k1}`);
    expect(converter.payloadCodecs).toHaveLength(1);
    const codec = converter.payloadCodecs![0]!;
    const [encrypted] = await codec.encode([plain()]);
    expect(text(encrypted!.metadata?.[METADATA_ENCODING_KEY])).toBe(ENCODING_ENCRYPTED);
    const [decrypted] = await new AesGcmCodec(parseCodecKeys(`k1:${k1}`)).decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decrypted!)).toEqual(listing);
  });
});

describe('parseCodecKeys', () => {
  it('takes the first key as current and keeps all for decryption', () => {
    const ring = parseCodecKeys(` k2:${k2} , k1:${k1} `);
    expect(ring.currentKeyId).toBe('k2');
    expect([...ring.keys.keys()]).toEqual(['k2', 'k1']);
    expect(ring.keys.get('k1')).toHaveLength(32);
  });

  it.each([
    [undefined, /SCORELINE_CODEC_KEYS is not set/],
    ['   ', /SCORELINE_CODEC_KEYS is not set/],
    [`${k1}`, /entry 1 is not "id:base64key"/],
    [`k1:${k1},`, /entry 2 is not "id:base64key"/],
    [`:${k1}`, /entry 1 has an invalid key id/],
    [`k 1:${k1}`, /entry 1 has an invalid key id/],
    [`k1:${k1},k1:${k2}`, /lists key id 'k1' twice/],
    ['k1:not base64!', /key 'k1' is not standard base64/],
    [`k1:${randomBytes(16).toString('base64')}`, /key 'k1' is 16 bytes; AES-256-GCM needs exactly 32/],
    [`k1:${randomBytes(33).toString('base64')}`, /key 'k1' is 33 bytes/],
  ])('rejects %j with a clear message', (spec, message) => {
    expect(() => parseCodecKeys(spec)).toThrow(message);
    expect(() => parseCodecKeys(spec)).toThrow(CodecKeyError);
  });

  it('never echoes key material in its errors', () => {
    const short = randomBytes(16).toString('base64');
    let message = '';
    try {
      parseCodecKeys(`k1:${short}`);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/16 bytes/);
    expect(message).not.toContain(short);
  });
});
