import type Database from 'better-sqlite3';

/** What every SQLite aggregate shares: the store's one connection and its statement cache. */
export interface SqliteContext {
  readonly db: Database.Database;
  prepared(sql: string): Database.Statement;
}

export type Row = Record<string, unknown>;

export function now(): string {
  return new Date().toISOString();
}

/**
 * A list parameter as one bound value (a JSON array, read with `json_each`), so a statement for
 * any number of ids has one text and one cached compilation, and no variable-count limit.
 */
export function jsonList(values: readonly unknown[]): string {
  return JSON.stringify(values);
}
