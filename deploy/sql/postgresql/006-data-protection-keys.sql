-- Aviary schema for PostgreSQL, version 6: the Data Protection key ring (Aviary's own table).
--
-- ASP.NET Core Data Protection encrypts the secrets Aviary stores (webhook tokens, upstream
-- credentials); its keys are XML elements, one row each, named by the key's id. Every silo reads
-- the same ring, so a secret one silo stored, every silo can read. Keys are only ever added.
CREATE TABLE IF NOT EXISTS AviaryDataProtectionKeys
(
    Name      text        NOT NULL PRIMARY KEY,
    Xml       text        NOT NULL,
    CreatedAt timestamptz NOT NULL DEFAULT now()
);
