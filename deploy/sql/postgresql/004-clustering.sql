-- Aviary schema for PostgreSQL, version 4: cluster membership (Microsoft.Orleans.Clustering.AdoNet).
--
-- OrleansMembershipVersionTable holds one row per cluster (DeploymentId = Orleans' ClusterId); its
-- Version is the table-wide ETag every read returns. A membership insert or update succeeds only
-- when the caller's @Version still equals it, and then bumps it by one in the same statement:
-- the statement first locks the version row (FOR NO KEY UPDATE, re-checked after any wait), writes
-- the silo's row, and bumps the version only if that write touched a row. So a stale ETag, a
-- duplicate insert or an update of a missing row returns false and changes nothing.
-- Heartbeats (UpdateIAmAlivetimeKey) and dead-row cleanup touch only the silo's row, never the version.
--
-- Reads join the version row to the silo rows (LEFT JOIN), so they return at least one row (the
-- version, with NULL silo columns when there are no silos); Orleans takes the version from row one.
-- Status is Orleans' SiloStatus: 3 = Active, 6 = Dead.
-- StartTime and IAmAliveTime are timestamptz: Orleans sends them as DbType.DateTime, which Npgsql
-- writes as timestamptz (Kind=Utc), and reads them back as UTC DateTimes.
-- SuspectTimes is Orleans' own text: "<silo>,<yyyy-MM-dd HH:mm:ss.fff GMT>|..." or NULL.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId text        NOT NULL,
    ModifiedOn   timestamptz NOT NULL DEFAULT now(),
    Version      integer     NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId text        NOT NULL,
    Address      varchar(45) NOT NULL,
    Port         integer     NOT NULL,
    Generation   integer     NOT NULL,
    SiloName     text        NOT NULL,
    HostName     text        NOT NULL,
    Status       integer     NOT NULL,
    ProxyPort    integer     NOT NULL,
    SuspectTimes text        NULL,
    StartTime    timestamptz NOT NULL,
    IAmAliveTime timestamptz NOT NULL,
    CONSTRAINT PK_OrleansMembershipTable PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_OrleansMembershipTable_OrleansMembershipVersionTable
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('GatewaysQueryKey', $q$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = @Status
  AND ProxyPort > 0;
$q$),

('MembershipReadRowKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
$q$),

('MembershipReadAllKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
$q$),

('InsertMembershipVersionKey', $q$
WITH inserted AS
(
    INSERT INTO OrleansMembershipVersionTable (DeploymentId, ModifiedOn, Version)
    VALUES (@DeploymentId, now(), 0)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT count(*) > 0 AS Inserted FROM inserted;
$q$),

('UpdateIAmAlivetimeKey', $q$
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation;
$q$),

('InsertMembershipKey', $q$
WITH expected AS
(
    SELECT DeploymentId
    FROM OrleansMembershipVersionTable
    WHERE DeploymentId = @DeploymentId
      AND Version = @Version
    FOR NO KEY UPDATE
),
inserted AS
(
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort,
         SuspectTimes, StartTime, IAmAliveTime)
    SELECT DeploymentId, @Address, @Port, @Generation, COALESCE(@SiloName, ''), COALESCE(@HostName, ''),
           @Status, @ProxyPort, NULL, @StartTime, @IAmAliveTime
    FROM expected
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING
    RETURNING DeploymentId
),
bumped AS
(
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1,
        ModifiedOn = now()
    WHERE DeploymentId IN (SELECT DeploymentId FROM inserted)
    RETURNING 1
)
SELECT count(*) > 0 AS Succeeded FROM bumped;
$q$),

('UpdateMembershipKey', $q$
WITH expected AS
(
    SELECT DeploymentId
    FROM OrleansMembershipVersionTable
    WHERE DeploymentId = @DeploymentId
      AND Version = @Version
    FOR NO KEY UPDATE
),
updated AS
(
    UPDATE OrleansMembershipTable m
    SET Status = @Status,
        SuspectTimes = @SuspectTimes,
        IAmAliveTime = @IAmAliveTime
    FROM expected
    WHERE m.DeploymentId = expected.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
    RETURNING m.DeploymentId
),
bumped AS
(
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1,
        ModifiedOn = now()
    WHERE DeploymentId IN (SELECT DeploymentId FROM updated)
    RETURNING 1
)
SELECT count(*) > 0 AS Succeeded FROM bumped;
$q$),

('DeleteMembershipTableEntriesKey', $q$
WITH silos AS
(
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
)
DELETE FROM OrleansMembershipVersionTable
WHERE DeploymentId = @DeploymentId;
$q$),

('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = 6
  AND IAmAliveTime < @IAmAliveTime
  AND StartTime < @IAmAliveTime
  AND COALESCE(SuspectTimes, '') = '';
$q$),

('CleanupDefunctSiloEntryKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = 6
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation
  AND StartTime = @StartTime
  AND IAmAliveTime = @IAmAliveTime
  AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
