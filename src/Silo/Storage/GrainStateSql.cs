namespace Aviary.Silo.Storage;

/// <summary>The statements Aviary's SQLite grain storage runs against <c>AviaryGrainState</c> (deploy/sql/sqlite/006-grain-state.sql).</summary>
internal static class GrainStateSql
{
    public const string Read = """
        SELECT Version, Payload FROM AviaryGrainState
        WHERE ServiceId = $service AND StateName = $state AND GrainId = $grain;
        """;

    public const string ReadVersion = """
        SELECT Version FROM AviaryGrainState
        WHERE ServiceId = $service AND StateName = $state AND GrainId = $grain;
        """;

    /// <summary>A write or clear of a state the writer saw at version $expected; no row back means it was written elsewhere.</summary>
    public const string Update = """
        UPDATE AviaryGrainState SET Payload = $payload, Version = Version + 1, ModifiedOn = $at
        WHERE ServiceId = $service AND StateName = $state AND GrainId = $grain AND Version = $expected
        RETURNING Version;
        """;

    /// <summary>The first write of a state; no row back means a row already existed.</summary>
    public const string Insert = """
        INSERT INTO AviaryGrainState (ServiceId, StateName, GrainId, Version, Payload, ModifiedOn)
        VALUES ($service, $state, $grain, 1, $payload, $at)
        ON CONFLICT DO NOTHING
        RETURNING Version;
        """;
}
