import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';

export interface TemporalConnectSettings {
  address: string;
  namespace: string;
  /** Options for both the client's Connection and the worker's NativeConnection (address, TLS, API key). */
  connection: NativeConnectionOptions;
  /** What the settings amount to, for logs and errors (never the key or certificate contents). */
  describe: string;
}

export class TemporalConfigError extends Error {
  override name = 'TemporalConfigError';
}

/**
 * Temporal connection settings from Temporal's own environment configuration conventions
 * (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS, TEMPORAL_TLS_CLIENT_CERT_PATH
 * / _DATA, TEMPORAL_TLS_CLIENT_KEY_PATH / _DATA, TEMPORAL_TLS_SERVER_CA_CERT_PATH / _DATA,
 * TEMPORAL_TLS_SERVER_NAME, TEMPORAL_PROFILE and an optional TOML file via TEMPORAL_CONFIG_FILE),
 * read by the SDK's envconfig package so the CLI, the Web UI docs and this project agree.
 * Mistakes that would only surface as a TLS handshake failure are caught here, by name.
 */
export function temporalSettings(
  env: Record<string, string | undefined>,
  defaults: { address: string; namespace: string },
): TemporalConnectSettings {
  // Compose passes unset variables as empty strings: treat those as unset.
  const vars = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
  );
  const pairs: Array<[string, string]> = [
    ['TEMPORAL_TLS_CLIENT_CERT', 'TEMPORAL_TLS_CLIENT_KEY'],
    ['TEMPORAL_TLS_CLIENT_KEY', 'TEMPORAL_TLS_CLIENT_CERT'],
  ];
  for (const [has, needs] of pairs) {
    const given = vars[`${has}_PATH`] ?? vars[`${has}_DATA`];
    const other = vars[`${needs}_PATH`] ?? vars[`${needs}_DATA`];
    if (given && !other)
      throw new TemporalConfigError(
        `${has}_PATH (or _DATA) is set but ${needs}_PATH (or _DATA) is not: mTLS needs both`,
      );
  }
  let loaded;
  try {
    loaded = loadClientConnectConfig({
      profile: vars.TEMPORAL_PROFILE,
      overrideEnvVars: vars,
      // Without TEMPORAL_CONFIG_FILE, a stray ~/.config/temporalio/temporal.toml must not change where a worker connects.
      disableFile: !vars.TEMPORAL_CONFIG_FILE,
    });
  } catch (err) {
    throw new TemporalConfigError(
      `invalid Temporal connection settings: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const connection: NativeConnectionOptions = {
    ...loaded.connectionOptions,
    address: loaded.connectionOptions.address ?? defaults.address,
  };
  const address = connection.address ?? defaults.address;
  if (!/^[^:\s]+:\d+$/.test(address))
    throw new TemporalConfigError(`TEMPORAL_ADDRESS must be host:port, got "${address}"`);
  const tls = connection.tls
    ? typeof connection.tls === 'object' && connection.tls.clientCertPair
      ? 'mTLS'
      : 'TLS'
    : 'plaintext';
  return {
    address,
    namespace: loaded.namespace ?? defaults.namespace,
    connection,
    describe: `${address} (${tls}${connection.apiKey ? ', API key' : ''}), namespace ${loaded.namespace ?? defaults.namespace}`,
  };
}
