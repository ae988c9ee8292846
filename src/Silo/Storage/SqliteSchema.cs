using Microsoft.Data.Sqlite;

namespace Aviary.Silo.Storage;

/// <summary>
/// Brings a SQLite file to the latest schema: each script newer than the file's recorded version
/// runs in a transaction with the version bump, so a start that dies half-way leaves the file as it was.
/// Running it again changes nothing.
/// </summary>
public static class SqliteSchema
{
    public const string Dialect = "sqlite";

    public static async Task<int> ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // WAL is a property of the file: set once, it stays. It lets readers and the writer overlap.
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
        await ExecuteAsync(connection,
            "CREATE TABLE IF NOT EXISTS AviarySchemaVersion (Version INTEGER NOT NULL PRIMARY KEY, Script TEXT NOT NULL, AppliedAt TEXT NOT NULL);",
            cancellationToken);

        var current = await CurrentVersionAsync(connection, cancellationToken);
        return await SchemaScripts.ApplyNewerAsync(connection, Dialect, current, (command, script) =>
        {
            var record = (SqliteCommand)command;
            record.CommandText = "INSERT INTO AviarySchemaVersion (Version, Script, AppliedAt) VALUES ($v, $s, $t);";
            record.Parameters.AddWithValue("$v", script.Version);
            record.Parameters.AddWithValue("$s", script.Name);
            record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O"));
        }, cancellationToken);
    }

    public static async Task<int> CurrentVersionAsync(SqliteConnection connection, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(Version), 0) FROM AviarySchemaVersion;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
