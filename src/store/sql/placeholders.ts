/**
 * Statements both backends run as written, kept in src/store/sql/<aggregate>.ts, are written
 * with PostgreSQL's `$n` placeholders, each used once and in order, so SQLite's positional `?`
 * binds the same arguments. Only statements that differ by nothing else are shared: where the
 * SQL differs (arrays, casts, collations, projections), each backend keeps its own.
 */
export function forSqlite(sql: string): string {
  return sql.replace(/\$\d+/g, '?');
}

/** `forSqlite` over a module's statements, once at load rather than on every call. */
export function allForSqlite<T extends Record<string, string>>(statements: T): { [K in keyof T]: string } {
  return Object.fromEntries(Object.entries(statements).map(([k, sql]) => [k, forSqlite(sql)])) as {
    [K in keyof T]: string;
  };
}
