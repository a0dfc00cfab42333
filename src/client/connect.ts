import { Client, Connection } from '@temporalio/client';
import { createDataConverter } from '../codec';
import type { Config } from '../config';
import { ensureSearchAttributes, type OperatorConnection } from '../temporal/search-attributes';
import { searchAttributeKeys } from '../workflows/definitions';

/**
 * A client for the configured cluster: the same address, TLS and API key as the workers
 * (config.temporal.connection), and the same payload codec, without which workflow inputs,
 * results and schedule arguments are unreadable ciphertext. The caller closes the connection.
 */
export async function connectClient(config: Config): Promise<{ client: Client; connection: Connection }> {
  const { tls, apiKey, metadata } = config.temporal.connection;
  const connection = await Connection.connect({
    address: config.temporal.address,
    tls,
    apiKey,
    metadata,
    connectTimeout: 5000,
  }).catch((err: unknown) => {
    throw new Error(
      `cannot reach Temporal at ${config.temporal.describe} (${err instanceof Error ? err.message : String(err)}); ` +
        'start it with `npm start` (dev server) or set TEMPORAL_ADDRESS',
    );
  });
  const dataConverter = config.codecKeys ? createDataConverter(config.codecKeys) : undefined;
  return {
    client: new Client({ connection, namespace: config.temporal.namespace, dataConverter }),
    connection,
  };
}

export function uiUrl(config: Config, uiBase: string, workflowId: string): string {
  return `${uiBase}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** Runs `fn` with a client and always closes the connection, whatever `fn` does. */
export async function withClient<T>(config: Config, fn: (client: Client) => Promise<T>): Promise<T> {
  const { client, connection } = await connectClient(config);
  try {
    return await fn(client);
  } finally {
    await connection.close();
  }
}

/**
 * Before starting a run or a schedule: the namespace has our search attributes, or gets them
 * on a dev server, or the command stops here with what to run, instead of starting a workflow
 * whose every task would fail. A namespace that cannot be asked is a warning, not a stop.
 */
export async function ensureNamespaceReady(
  config: Config,
  connection: OperatorConnection,
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<void> {
  const result = await ensureSearchAttributes(connection, {
    namespace: config.temporal.namespace,
    mode: config.temporal.searchAttributes,
    keys: searchAttributeKeys,
  });
  if (result.state === 'registered')
    warn(`registered search attributes ${result.names.join(', ')} in namespace ${config.temporal.namespace}`);
  if (result.state === 'unverified')
    warn(`warning: ${result.reason}; runs hang if RunDate, RunPhase and the others are not registered`);
}

/** withClient for commands that start workflows: the namespace is checked first. */
export async function withReadyClient<T>(config: Config, fn: (client: Client) => Promise<T>): Promise<T> {
  return withClient(config, async (client) => {
    await ensureNamespaceReady(config, client.connection);
    return fn(client);
  });
}
