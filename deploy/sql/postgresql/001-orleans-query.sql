-- Aviary schema for PostgreSQL, version 1: the table the Orleans ADO.NET providers read their SQL from.
-- Written for Aviary from the providers' contract (query keys, parameter names, result columns).
-- Every provider loads it with "SELECT QueryKey, QueryText FROM OrleansQuery" when it starts.
-- Later scripts upsert their rows with ON CONFLICT (QueryKey) DO UPDATE, so running a script again
-- leaves one row per key holding the newest text.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);
