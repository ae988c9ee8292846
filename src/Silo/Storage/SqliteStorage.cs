using Microsoft.Data.Sqlite;

namespace Aviary.Silo.Storage;

/// <summary>The embedded profile's SQLite file and the connection string every provider shares.</summary>
public static class SqliteStorage
{
    /// <summary>The ADO.NET invariant Orleans maps to Microsoft.Data.Sqlite's factory.</summary>
    public const string Invariant = "System.Data.SQLite";

    public const string FileName = "aviary.db";

    public static string ConnectionString(string dataDirectory) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.GetFullPath(Path.Combine(dataDirectory, FileName)),
        Mode = SqliteOpenMode.ReadWriteCreate,
        DefaultTimeout = 30,
        Pooling = true,
    }.ToString();
}
