using Aviary.Silo.Configuration;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Aviary.Silo.Storage;

/// <summary>
/// Before the silo starts: reach the profile's database and bring its schema up to date (or, with
/// <c>Aviary:Schema=verify</c>, check that it is). Every failure is one line naming the setting.
/// </summary>
public static class StoragePreparation
{
    public sealed record Outcome(string ConnectionString, int SchemaVersion, string? Error);

    public static async Task<Outcome> PrepareAsync(AviaryOptions options, bool applySchema, CancellationToken cancellationToken = default) =>
        options.IsCluster
            ? await PreparePostgresAsync(options, applySchema, cancellationToken)
            : await PrepareSqliteAsync(options, cancellationToken);

    private static async Task<Outcome> PrepareSqliteAsync(AviaryOptions options, CancellationToken cancellationToken)
    {
        var connectionString = SqliteStorage.ConnectionString(options.DataDirectory);
        try
        {
            var version = await SqliteSchema.ApplyAsync(connectionString, cancellationToken);
            return new Outcome(connectionString, version, null);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            return new Outcome(connectionString, 0, $"Aviary:DataDirectory: cannot prepare '{Path.GetFullPath(options.DataDirectory)}': {ex.Message}");
        }
    }

    private static async Task<Outcome> PreparePostgresAsync(AviaryOptions options, bool applySchema, CancellationToken cancellationToken)
    {
        var connectionString = options.ConnectionString;
        var where = PostgresConnection.Describe(connectionString);
        try
        {
            await using var connection = await PostgresSchema.OpenAsync(connectionString, options.DatabaseWait, cancellationToken);
            if (applySchema)
                return new Outcome(connectionString, await PostgresSchema.ApplyAsync(connection, cancellationToken), null);

            var current = await PostgresSchema.CurrentVersionAsync(connection, cancellationToken);
            var latest = PostgresSchema.LatestVersion;
            return current >= latest
                ? new Outcome(connectionString, current, null)
                : new Outcome(connectionString, current,
                    $"Aviary:Schema: database {where} is at schema version {current}, this silo needs {latest}; run `aviary-silo apply-schema` with the same settings, or set Aviary:Schema=apply");
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            var reason = ex is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : ex.Message;
            return new Outcome(connectionString, 0, $"Aviary:ConnectionString: cannot use database {where}: {reason}");
        }
    }
}
