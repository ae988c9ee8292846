-- Aviary schema for SQLite, version 4: the HTTP API's audit log (Aviary's own table).
--
-- One row per change asked of the API (POST, PUT, PATCH, DELETE), accepted or refused: who (a key
-- as key:<id>, a token's subject), what (method, route, target, the body with secrets removed),
-- when (At: ISO 8601 UTC with seven fractional digits, so text order is time order), from where,
-- and the outcome with its reason. Rows older than Aviary:Audit:Retention are deleted.
CREATE TABLE IF NOT EXISTS AviaryAudit
(
    Id      INTEGER PRIMARY KEY AUTOINCREMENT,
    At      TEXT    NOT NULL,
    Caller  TEXT    NOT NULL,
    Method  TEXT    NOT NULL,
    Route   TEXT    NOT NULL,
    Service TEXT    NULL,
    Target  TEXT    NOT NULL,
    Body    TEXT    NULL,
    Remote  TEXT    NOT NULL,
    Status  INTEGER NOT NULL,
    Outcome TEXT    NOT NULL,
    Reason  TEXT    NULL
);

CREATE INDEX IF NOT EXISTS IX_AviaryAudit_At ON AviaryAudit (At);
CREATE INDEX IF NOT EXISTS IX_AviaryAudit_Service_At ON AviaryAudit (Service, At);
