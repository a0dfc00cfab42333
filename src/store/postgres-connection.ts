import { createHash } from 'node:crypto';
import pg from 'pg';

export interface PostgresStoreOptions {
  /** Schema holding the tables; overrides the URL's `?schema=`. Default `public`. */
  schema?: string;
  /** Most connections the pool opens. Default 10. */
  poolSize?: number;
  /**
   * Called when an idle pooled connection fails (server restart, network drop). The pool has
   * already discarded it and the next query reconnects; without a listener Node would crash.
   */
  onIdleError?: (err: Error) => void;
}

/** A pool whose connections all read and write the store's schema with SQLite's value shapes. */
export function createPool(url: string, options: PostgresStoreOptions): { pool: pg.Pool; schema: string } {
  const parsed = new URL(url);
  // Ours, not a libpq parameter: pg would pass it on to the server, which rejects it.
  const schema = validSchema(options.schema ?? parsed.searchParams.get('schema') ?? 'public');
  const userOptions = parsed.searchParams.get('options');
  parsed.searchParams.delete('schema');
  // pg lets the URL's options override the config's, so merge the caller's with ours here.
  parsed.searchParams.delete('options');
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: options.poolSize ?? 10,
    application_name: 'scoreline',
    types: TYPES,
    // Startup parameters, so they hold on every pooled connection before its first query:
    // tables resolve to our schema, and a timestamp without an offset (a bare `since` date)
    // means UTC, as it does in SQLite's text comparison.
    options: [userOptions, `-c search_path=${schema} -c TimeZone=UTC -c DateStyle=ISO`]
      .filter(Boolean)
      .join(' '),
  });
  pool.on('error', options.onIdleError ?? (() => undefined));
  return { pool, schema };
}

/** Schema names are interpolated into DDL and a startup parameter: plain identifiers only. */
export function validSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name ${JSON.stringify(schema)}: use [a-z_][a-z0-9_]*`);
  }
  return schema;
}

/** A stable 64-bit advisory-lock key for a name, the same in every process and version. */
export function advisoryKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/**
 * Parsers for this pool only (pg's are process-global otherwise): bigint to a number, refusing
 * values a number cannot hold exactly; timestamptz to the ISO string SQLite would return; date
 * as its `YYYY-MM-DD` text rather than a local-midnight Date.
 */
const TYPES = new pg.TypeOverrides();
const parseTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ) as (text: string) => Date;
TYPES.setTypeParser(pg.types.builtins.INT8, (text: string) => {
  const n = Number(text);
  if (!Number.isSafeInteger(n))
    throw new RangeError(`bigint ${text} does not fit a JavaScript number exactly`);
  return n;
});
TYPES.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (text: string) => parseTimestamptz(text).toISOString());
TYPES.setTypeParser(pg.types.builtins.DATE, (text: string) => text);
