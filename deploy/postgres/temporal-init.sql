-- Runs once, when the temporal-db volume is first initialised (docker-entrypoint-initdb.d).
-- The image creates POSTGRES_DB (`temporal`) itself; Temporal's visibility store needs a second
-- database. Creating it here, rather than with `temporal-sql-tool create` on every start,
-- keeps the schema job free of "already exists" handling.
CREATE DATABASE temporal_visibility;
