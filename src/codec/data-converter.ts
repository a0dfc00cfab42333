import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec } from './aes-gcm-codec';
import type { CodecKeyring } from './keys';

/**
 * The data converter every Temporal client and worker of one namespace must share: payloads
 * encrypted by one process are decrypted by the others, so a process without it sees only
 * `binary/encrypted` blobs.
 *
 * Wire it as `Worker.create({ dataConverter, ... })` and `new Client({ dataConverter, ... })`.
 * Codecs run outside the workflow sandbox, so `node:crypto` in the codec is fine there.
 *
 * @param keys the keyring, or the raw `SCORELINE_CODEC_KEYS` value ("k2:base64,k1:base64").
 */
export function createDataConverter(keys: CodecKeyring | string): DataConverter {
  return { payloadCodecs: [new AesGcmCodec(keys)] };
}
