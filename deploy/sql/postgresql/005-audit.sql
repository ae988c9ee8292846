-- Aviary schema for PostgreSQL, version 5: the HTTP API's audit log (Aviary's own table).
--
-- One row per change asked of the API (POST, PUT, PATCH, DELETE), accepted or refused: who (a key
-- as key:<id>, a token's subject), what (method, route, target, the body with secrets removed),
-- when, from where, and the outcome with its reason. Every silo writes here; rows older than
-- Aviary:Audit:Retention are deleted.
CREATE TABLE IF NOT EXISTS AviaryAudit
(
    Id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    At      timestamptz NOT NULL,
    Caller  text        NOT NULL,
    Method  text        NOT NULL,
    Route   text        NOT NULL,
    Service text        NULL,
    Target  text        NOT NULL,
    Body    text        NULL,
    Remote  text        NOT NULL,
    Status  integer     NOT NULL,
    Outcome text        NOT NULL,
    Reason  text        NULL
);

CREATE INDEX IF NOT EXISTS IX_AviaryAudit_At ON AviaryAudit (At);
CREATE INDEX IF NOT EXISTS IX_AviaryAudit_Service_At ON AviaryAudit (Service, At);
