namespace Aviary.Bench;

/// <summary>
/// What a SQLite file commits with, read from the file by a connection of the same native
/// library rather than taken from a package's documentation.
/// </summary>
public static class SqliteFileSettings
{
    /// <summary>
    /// "SQLite 3.x, journal_mode=…, synchronous=…". A fresh connection reports the synchronous
    /// level every connection gets unless it sets one itself (Hangfire.Storage.SQLite 0.4.3 sets
    /// journal_mode and auto_vacuum, never synchronous), after the WAL default has applied.
    /// </summary>
    public static string Describe(string path)
    {
        using var db = new SQLite.SQLiteConnection(path, SQLite.SQLiteOpenFlags.ReadWrite);
        // A read first: reading the file's first page is when SQLite moves a connection to a
        // WAL database onto its WAL synchronous default, so the level asked after is the one
        // the storage's connections commit with.
        db.ExecuteScalar<int>("SELECT count(*) FROM sqlite_master");
        var journalMode = db.ExecuteScalar<string>("PRAGMA journal_mode");
        var synchronous = db.ExecuteScalar<int>("PRAGMA synchronous") switch
        {
            0 => "OFF",
            1 => "NORMAL",
            2 => "FULL",
            3 => "EXTRA",
            var other => other.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var version = db.ExecuteScalar<string>("SELECT sqlite_version()");
        return $"SQLite {version}, journal_mode={journalMode}, synchronous={synchronous}";
    }
}
