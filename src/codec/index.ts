export { AesGcmCodec, ENCODING_ENCRYPTED, METADATA_KEY_ID, PayloadDecryptionError } from './aes-gcm-codec';
export { createCodecServer, type CodecServerOptions, type JsonPayload } from './codec-http';
export { createDataConverter } from './data-converter';
export { CodecKeyError, KEY_BYTES, parseCodecKeys, type CodecKeyring } from './keys';
