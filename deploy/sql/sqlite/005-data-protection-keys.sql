-- Aviary schema for SQLite, version 5: the Data Protection key ring (Aviary's own table).
--
-- ASP.NET Core Data Protection encrypts the secrets Aviary stores (webhook tokens, upstream
-- credentials); its keys are XML elements, one row each, named by the key's id. Keys are only
-- ever added (the key ring retires old ones by their expiry, and keeps them to decrypt old data).
CREATE TABLE IF NOT EXISTS AviaryDataProtectionKeys
(
    Name      TEXT NOT NULL PRIMARY KEY,
    Xml       TEXT NOT NULL,
    CreatedAt TEXT NOT NULL
);
