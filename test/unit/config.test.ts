import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('defaults to the local dev server in plaintext', () => {
    const c = loadConfig({});
    expect(c.temporal).toMatchObject({
      address: '127.0.0.1:7233',
      namespace: 'default',
      taskQueue: 'scoreline',
    });
    expect(c.temporal.connection.tls).toBeFalsy();
    expect(c.temporal.describe).toContain('plaintext');
  });

  it('treats empty variables as unset, as Compose passes them', () => {
    expect(() =>
      loadConfig({ OPENAI_BASE_URL: '', TEMPORAL_API_KEY: '', SCORELINE_CODEC_KEYS: '' }),
    ).not.toThrow();
  });

  it('reads the output mode, auto by default, with per-model overrides', () => {
    expect(loadConfig({}).outputModes).toEqual({ default: 'auto', perModel: {} });
    const c = loadConfig({
      SCORELINE_OUTPUT_MODE: 'tools',
      SCORELINE_OUTPUT_MODE_MODELS: 'smollm2-135m=json_schema',
    });
    expect(c.outputModes).toEqual({ default: 'tools', perModel: { 'smollm2-135m': 'json_schema' } });
    expect(() => loadConfig({ SCORELINE_OUTPUT_MODE: 'grammar' })).toThrow(/SCORELINE_OUTPUT_MODE/);
    expect(() => loadConfig({ SCORELINE_OUTPUT_MODE_MODELS: 'smollm2' })).toThrow(ConfigError);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ SCORELINE_MAX_ATTEMPTS: 'three' })).toThrow(/SCORELINE_MAX_ATTEMPTS/);
    expect(() => loadConfig({ OPENAI_BASE_URL: 'not a url' })).toThrow(ConfigError);
    expect(() => loadConfig({ TEMPORAL_ADDRESS: 'no-port' })).toThrow(/TEMPORAL_ADDRESS must be host:port/);
  });

  it('follows Temporal’s env-config names: an API key turns TLS on, for Temporal Cloud', () => {
    const c = loadConfig({
      TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'ns.acct',
      TEMPORAL_API_KEY: 'secret-key',
    });
    expect(c.temporal.connection.apiKey).toBe('secret-key');
    expect(c.temporal.connection.tls).toBeTruthy();
    expect(c.temporal.namespace).toBe('ns.acct');
    expect(c.temporal.describe).not.toContain('secret-key');
  });

  it('reads an mTLS client certificate and key from files, and refuses half a pair', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    writeFileSync(join(dir, 'client.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    writeFileSync(join(dir, 'client.key'), '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');
    const c = loadConfig({
      TEMPORAL_ADDRESS: 'temporal.example.com:7233',
      TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'client.pem'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: join(dir, 'client.key'),
    });
    expect(c.temporal.describe).toContain('mTLS');
    expect(() => loadConfig({ TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'client.pem') })).toThrow(
      /TEMPORAL_TLS_CLIENT_KEY_PATH/,
    );
    expect(() =>
      loadConfig({
        TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'missing.pem'),
        TEMPORAL_TLS_CLIENT_KEY_PATH: join(dir, 'client.key'),
      }),
    ).toThrow(ConfigError);
  });

  it('rejects malformed codec keys at start, not at the first payload', () => {
    expect(() => loadConfig({ SCORELINE_CODEC_KEYS: 'k1:tooshort' })).toThrow(ConfigError);
    expect(
      loadConfig({ SCORELINE_CODEC_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` }).codecKeys,
    ).toBeDefined();
  });

  it('overrides prices from SCORELINE_PRICES and says what is wrong with a bad one', () => {
    const c = loadConfig({ SCORELINE_PRICES: '{"gpt-4o-mini":{"input":1,"cachedInput":0.5,"output":2}}' });
    expect(c.prices.priceOf('gpt-4o-mini')).toEqual({ input: 1, cachedInput: 0.5, output: 2 });
    expect(c.prices.priceOf('gpt-4o').input).toBe(2.5);
    expect(() => loadConfig({ SCORELINE_PRICES: '{bad' })).toThrow(/SCORELINE_PRICES is not JSON/);
    expect(() =>
      loadConfig({ SCORELINE_PRICES: '{"gpt-4o":{"input":-1,"cachedInput":0,"output":0}}' }),
    ).toThrow(/SCORELINE_PRICES: gpt-4o.input/);
  });
});
