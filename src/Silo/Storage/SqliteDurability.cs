namespace Aviary.Silo.Storage;

/// <summary>
/// What an acknowledged grain write survives in the embedded profile (<c>Aviary:Durability</c>).
/// Both keep SQLite in write-ahead-log mode and answer a writer only after its transaction
/// committed; they differ in whether the commit waits for the disk.
/// </summary>
public enum SqliteDurability
{
    /// <summary>
    /// <c>synchronous=FULL</c>: every commit fsyncs the write-ahead log before the writers are
    /// answered, so an acknowledged write survives a killed process and a power loss. The default.
    /// </summary>
    Full,

    /// <summary>
    /// <c>synchronous=NORMAL</c>: a commit is written to the log in the operating system's cache and
    /// fsynced only at checkpoints, so an acknowledged write survives a killed process (kill -9, a
    /// crash) but the last commits before a power loss or a kernel panic may be lost. The file is
    /// never corrupted either way.
    /// </summary>
    Process,
}

public static class SqliteDurabilities
{
    public const string Full = "full";
    public const string Process = "process";

    /// <summary>Reads the setting's text; null when it names neither.</summary>
    public static SqliteDurability? Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        Full => SqliteDurability.Full,
        Process => SqliteDurability.Process,
        _ => null,
    };

    /// <summary>The value of SQLite's <c>synchronous</c> pragma that gives <paramref name="durability"/>.</summary>
    public static string SynchronousPragma(this SqliteDurability durability) =>
        durability == SqliteDurability.Full ? "FULL" : "NORMAL";
}
