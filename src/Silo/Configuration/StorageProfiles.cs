namespace Aviary.Silo.Configuration;

public static class StorageProfiles
{
    /// <summary>One process: localhost clustering, SQLite grain state and reminders, memory streams.</summary>
    public const string Embedded = "embedded";

    /// <summary>Many silos: PostgreSQL clustering, grain state and reminders through the ADO.NET providers, memory streams.</summary>
    public const string Cluster = "cluster";
}

public static class SchemaModes
{
    public const string Apply = "apply";
    public const string Verify = "verify";
}
