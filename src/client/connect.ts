import { Client, Connection } from '@temporalio/client';
import { createDataConverter } from '../codec';
import type { Config } from '../config';

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
