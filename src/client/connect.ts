import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';

/** A client for the configured cluster; the caller closes the returned connection. */
export async function connectClient(config: Config): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({
    address: config.temporal.address,
    connectTimeout: 5000,
  }).catch((err: unknown) => {
    throw new Error(
      `cannot reach Temporal at ${config.temporal.address} (${err instanceof Error ? err.message : String(err)}); ` +
        'start it with `npm start` (dev server) or set TEMPORAL_ADDRESS',
    );
  });
  return { client: new Client({ connection, namespace: config.temporal.namespace }), connection };
}

export function uiUrl(config: Config, uiBase: string, workflowId: string): string {
  return `${uiBase}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
