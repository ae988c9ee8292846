-- Aviary schema for SQLite, version 1: the table the Orleans ADO.NET providers read their SQL from.
-- Written for Aviary from the providers' documented contract (query keys, parameter names, result columns).
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);
