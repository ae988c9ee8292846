-- Aviary schema for SQLite, version 6: grain state written by Aviary's own provider
-- (src/Silo/Storage/SqliteGrainStorage.cs), which commits the writes of many grains together.
--
-- A row is one grain's state under one state name. GrainId is Orleans' own text form of the id
-- (type/key), so the key needs no hashing. Version is the ETag: 1 on insert, +1 on every write or
-- clear; a cleared state keeps its row with a NULL payload, so the version never goes back.
-- OrleansStorage (version 2) holds what earlier builds wrote; it is read only for a grain that has
-- no row here yet (see LegacyGrainStates.cs).
CREATE TABLE IF NOT EXISTS AviaryGrainState
(
    ServiceId  TEXT    NOT NULL,
    StateName  TEXT    NOT NULL,
    GrainId    TEXT    NOT NULL,
    Version    INTEGER NOT NULL,
    Payload    BLOB    NULL,
    ModifiedOn TEXT    NOT NULL,
    PRIMARY KEY (ServiceId, StateName, GrainId)
);
