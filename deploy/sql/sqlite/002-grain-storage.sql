-- Aviary schema for SQLite, version 2: grain state (Microsoft.Orleans.Persistence.AdoNet).
--
-- A row is one grain's state under one state name. Orleans sends the grain key as N0/N1 plus an
-- optional extension string; the extension is stored as '' when Orleans sends NULL so the natural
-- key can be the primary key. Version is the ETag: 1 on insert, +1 on every write or clear.
-- A write returns exactly one row (NewGrainStateVersion) on success and none on an ETag conflict.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    ServiceId              TEXT    NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainIdExtensionString TEXT    NOT NULL,
    GrainIdHash            INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    PayloadBinary          BLOB    NULL,
    ModifiedOn             TEXT    NOT NULL,
    Version                INTEGER NOT NULL,
    PRIMARY KEY (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString)
) WITHOUT ROWID;

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', '
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE ServiceId = @ServiceId
  AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
LIMIT 1;'),

('WriteToStorageKey', '
UPDATE OrleansStorage
SET PayloadBinary = @PayloadBinary,
    ModifiedOn = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''),
    Version = Version + 1
WHERE @GrainStateVersion IS NOT NULL
  AND ServiceId = @ServiceId
  AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
  AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
INSERT OR IGNORE INTO OrleansStorage
    (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString, GrainIdHash, GrainTypeHash, PayloadBinary, ModifiedOn, Version)
SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''''), @GrainIdHash, @GrainTypeHash,
       @PayloadBinary, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), 1
WHERE @GrainStateVersion IS NULL
RETURNING Version AS NewGrainStateVersion;'),

('ClearStorageKey', '
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''),
    Version = Version + 1
WHERE ServiceId = @ServiceId
  AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
  AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;'),

('DeleteStorageKey', '
DELETE FROM OrleansStorage
WHERE ServiceId = @ServiceId
  AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
  AND Version = @GrainStateVersion
RETURNING Version + 1 AS NewGrainStateVersion;');
