#!/bin/sh
# One-shot job (temporalio/admin-tools): bring Temporal's two PostgreSQL databases to the schema
# that this server version needs. Safe on every `docker compose up`: setup-schema only adds the
# version table when it is missing, and update-schema applies only versions newer than the one
# recorded, which is also how a server upgrade migrates its schema.
set -eu

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS must name the PostgreSQL host}"
: "${POSTGRES_USER:?POSTGRES_USER must be set}"
: "${SQL_PASSWORD:?SQL_PASSWORD must be set (temporal-sql-tool reads the password from it)}"
port="${DB_PORT:-5432}"
schema_root="${TEMPORAL_SCHEMA_ROOT:-/etc/temporal/schema/postgresql/v12}"

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$port" -u "$POSTGRES_USER" "$@"
}

for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  db="${pair%%:*}"
  schema="${pair##*:}"
  echo "schema: $db <- $schema_root/$schema/versioned"
  sql_tool --db "$db" setup-schema -v 0.0
  sql_tool --db "$db" update-schema -d "$schema_root/$schema/versioned"
done
echo "schema: up to date"
