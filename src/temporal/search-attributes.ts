import { isGrpcServiceError } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/**
 * Our custom search attributes must exist in the namespace before a workflow upserts them:
 * otherwise the server fails every workflow task with BadSearchAttributes and the run hangs
 * with nothing but a worker log line to say why. This module decides, once at start, whether
 * they are there, whether we may add them ourselves, and what to tell the user when not.
 */

/** How the worker and the CLI treat missing attributes (SCORELINE_SEARCH_ATTRIBUTES). */
export type SearchAttributeMode = 'auto' | 'register' | 'check';
export const SEARCH_ATTRIBUTE_MODES: readonly SearchAttributeMode[] = ['auto', 'register', 'check'];

export interface AttributeKey {
  name: string;
  type: SearchAttributeType;
}

/** What the cluster said about itself (GetClusterInfo), as far as the dev-server test needs. */
export interface ClusterFacts {
  persistenceStore?: string | null;
  historyShardCount?: number | null;
}

export interface AttributeGap {
  missing: AttributeKey[];
  /** Registered under our name with another type: only a person can fix that (removal loses data). */
  wrongType: Array<{ key: AttributeKey; actual: string }>;
}

export type AttributeDecision =
  { action: 'ok' } | { action: 'register'; keys: AttributeKey[] } | { action: 'refuse'; message: string };

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

/** The server's enum value name for our type, e.g. KEYWORD → INDEXED_VALUE_TYPE_KEYWORD. */
export function indexedValueType(type: SearchAttributeType): temporal.api.enums.v1.IndexedValueType {
  return IndexedValueType[`INDEXED_VALUE_TYPE_${type}`];
}

/** The name the `temporal` CLI uses for a type (`--type Keyword`). */
export function cliTypeName(type: SearchAttributeType): string {
  return type
    .split('_')
    .map((w) => w[0] + w.slice(1).toLowerCase())
    .join('');
}

function typeNameOf(value: unknown): string {
  const name = typeof value === 'number' ? IndexedValueType[value] : String(value);
  return cliTypeName((name ?? 'UNKNOWN').replace(/^INDEXED_VALUE_TYPE_/, '') as SearchAttributeType);
}

/** Which of `required` the namespace lacks or holds with another type. */
export function attributeGap(
  existing: Record<string, unknown>,
  required: readonly AttributeKey[],
): AttributeGap {
  const gap: AttributeGap = { missing: [], wrongType: [] };
  for (const key of required) {
    if (!(key.name in existing)) gap.missing.push(key);
    else if (typeNameOf(existing[key.name]) !== cliTypeName(key.type))
      gap.wrongType.push({ key, actual: typeNameOf(existing[key.name]) });
  }
  return gap;
}

/**
 * `temporal server start-dev` is the one server that reports SQLite persistence with a single
 * history shard (in memory or with --db-filename). A self-hosted cluster runs PostgreSQL,
 * MySQL or Cassandra with many shards, and Temporal Cloud does not answer GetClusterInfo at all.
 * That reply is the server's own account of itself, so it holds whatever address, port or
 * launcher started it, where a guess from the address (127.0.0.1:7233) would not.
 */
export function isDevServer(facts: ClusterFacts | undefined): boolean {
  return facts?.persistenceStore === 'sqlite' && facts.historyShardCount === 1;
}

/** Registering is for a dev server (auto) or when told to (register); `check` only ever checks. */
export function decideAttributes(
  gap: AttributeGap,
  o: { mode: SearchAttributeMode; devServer: boolean; namespace: string },
): AttributeDecision {
  if (gap.missing.length === 0 && gap.wrongType.length === 0) return { action: 'ok' };
  const mayRegister = o.mode === 'register' || (o.mode === 'auto' && o.devServer);
  if (mayRegister && gap.wrongType.length === 0) return { action: 'register', keys: gap.missing };
  return { action: 'refuse', message: missingAttributesMessage(gap, o) };
}

/** The refusal: what is missing, the exact commands that add it, and why we did not. */
export function missingAttributesMessage(
  gap: AttributeGap,
  o: { mode: SearchAttributeMode; devServer: boolean; namespace: string; why?: string },
): string {
  const lines: string[] = [];
  if (gap.missing.length) {
    lines.push(
      `namespace "${o.namespace}" lacks the search attribute(s) Scoreline's workflows set: ${gap.missing.map((k) => `${k.name} (${cliTypeName(k.type)})`).join(', ')}.`,
      'Without them every workflow task fails with BadSearchAttributes and runs never progress. Add them once:',
      `  temporal operator search-attribute create --namespace ${o.namespace} ${gap.missing.map((k) => `--name ${k.name} --type ${cliTypeName(k.type)}`).join(' ')}`,
      '(add --address, --tls and --api-key as for your cluster; deploy/temporal/setup-namespace.sh does this for the Compose stack;',
      ' on Temporal Cloud use `tcld namespace search-attributes add` or the Cloud UI).',
    );
  }
  for (const { key, actual } of gap.wrongType) {
    lines.push(
      `search attribute ${key.name} exists in namespace "${o.namespace}" as ${actual}, but Scoreline writes it as ${cliTypeName(key.type)}: ` +
        'rename or remove the existing one (a person must decide, since removing it drops its indexed values).',
    );
  }
  if (gap.missing.length && gap.wrongType.length === 0) {
    lines.push(
      o.why ??
        (o.mode === 'check'
          ? 'Not added automatically because SCORELINE_SEARCH_ATTRIBUTES=check.'
          : o.devServer
            ? ''
            : 'Not added automatically: this is not a dev server (set SCORELINE_SEARCH_ATTRIBUTES=register to let Scoreline add them with operator rights).'),
    );
  }
  return lines.filter(Boolean).join('\n');
}

const isComplete = (gap: AttributeGap) => gap.missing.length === 0 && gap.wrongType.length === 0;

export class SearchAttributesError extends Error {
  override name = 'SearchAttributesError';
}

/** The two services of a client Connection or a worker's NativeConnection that this needs. */
export interface OperatorConnection {
  workflowService: Pick<temporal.api.workflowservice.v1.WorkflowService, 'getClusterInfo'>;
  operatorService: Pick<
    temporal.api.operatorservice.v1.OperatorService,
    'listSearchAttributes' | 'addSearchAttributes'
  >;
}

export type AttributeCheck =
  | { state: 'present' }
  | { state: 'registered'; names: string[] }
  /** The namespace could not be asked (a Cloud API key without operator rights, say): the caller warns. */
  | { state: 'unverified'; reason: string };

/** gRPC's status code 6; @grpc/grpc-js is not a direct dependency, so the number is spelled out. */
const GRPC_ALREADY_EXISTS = 6;
const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Checks the namespace for our attributes and, where `decideAttributes` allows, adds the
 * missing ones, then waits until listing shows them (the server caches its search attribute
 * map briefly, so an add is not visible to the next call at once). Safe to run from several
 * processes at the same time: an attribute another process added first counts as added.
 * Throws SearchAttributesError with the refusal message.
 */
export async function ensureSearchAttributes(
  conn: OperatorConnection,
  o: { namespace: string; mode: SearchAttributeMode; keys: readonly AttributeKey[]; waitMs?: number },
): Promise<AttributeCheck> {
  const list = async () =>
    (await conn.operatorService.listSearchAttributes({ namespace: o.namespace })).customAttributes ?? {};
  let existing: Record<string, unknown>;
  try {
    existing = await list();
  } catch (err) {
    return { state: 'unverified', reason: `cannot list search attributes: ${errText(err)}` };
  }
  const gap = attributeGap(existing, o.keys);
  if (gap.missing.length === 0 && gap.wrongType.length === 0) return { state: 'present' };
  const devServer = isDevServer(await conn.workflowService.getClusterInfo({}).catch(() => undefined));
  const decision = decideAttributes(gap, { mode: o.mode, devServer, namespace: o.namespace });
  if (decision.action === 'refuse') throw new SearchAttributesError(decision.message);
  if (decision.action === 'ok') return { state: 'present' };
  try {
    await conn.operatorService.addSearchAttributes({
      namespace: o.namespace,
      searchAttributes: Object.fromEntries(decision.keys.map((k) => [k.name, indexedValueType(k.type)])),
    });
  } catch (err) {
    // Another process may have added them a moment earlier: AlreadyExists, or (on some server
    // versions) a conflicting concurrent change. Either way, what counts is what is listed now.
    const raced =
      (isGrpcServiceError(err) && (err.code as number) === GRPC_ALREADY_EXISTS) ||
      isComplete(attributeGap(await list().catch(() => ({})), o.keys));
    if (!raced) {
      throw new SearchAttributesError(
        `could not add search attributes (${errText(err)}).\n${missingAttributesMessage(gap, { ...o, devServer, why: '' })}`,
      );
    }
  }
  const deadline = Date.now() + (o.waitMs ?? 15_000);
  for (;;) {
    const after = attributeGap(await list(), o.keys);
    if (isComplete(after)) return { state: 'registered', names: decision.keys.map((k) => k.name) };
    if (Date.now() > deadline) {
      throw new SearchAttributesError(
        `added search attributes, but after ${Math.round((o.waitMs ?? 15_000) / 1000)} s the namespace still does not list ${after.missing.map((k) => k.name).join(', ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
