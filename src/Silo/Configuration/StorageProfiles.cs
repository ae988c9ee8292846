namespace Aviary.Silo.Configuration;

public static class StorageProfiles
{
    /// <summary>One process: localhost clustering, SQLite grain state and reminders, memory streams.</summary>
    public const string Embedded = "embedded";
}
