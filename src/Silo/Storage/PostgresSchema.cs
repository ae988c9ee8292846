using Npgsql;
using Polly;
using Polly.Retry;

namespace Aviary.Silo.Storage;

/// <summary>
/// Brings a PostgreSQL database to the latest Aviary schema (deploy/sql/postgresql). Each script
/// newer than the recorded version runs in one transaction with its version row; silos starting
/// together take turns on an advisory lock, so each script runs once. Running it again changes nothing.
/// </summary>
public static class PostgresSchema
{
    public const string Dialect = "postgresql";

    // Any fixed number shared by every Aviary silo: the advisory lock that serializes schema changes.
    private const long SchemaLockKey = 0x4156_4941_5259; // "AVIARY"

    public static int LatestVersion => SchemaScripts.For(Dialect).Max(s => s.Version);

    /// <summary>
    /// Opens a connection, retrying with exponential backoff (Polly) while the server is not up
    /// yet, for at most <paramref name="wait"/>; the last error is thrown after that.
    /// </summary>
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + wait;
        var pipeline = new ResiliencePipelineBuilder<NpgsqlConnection>()
            .AddRetry(new RetryStrategyOptions<NpgsqlConnection>
            {
                ShouldHandle = new PredicateBuilder<NpgsqlConnection>().Handle<NpgsqlException>(ex => ex.IsTransient && DateTime.UtcNow < deadline)
                    .Handle<System.Net.Sockets.SocketException>(_ => DateTime.UtcNow < deadline),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(5),
                UseJitter = true,
            })
            .Build();
        return await pipeline.ExecuteAsync(async ct =>
        {
            var connection = new NpgsqlConnection(connectionString);
            try
            {
                await connection.OpenAsync(ct);
                return connection;
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }, cancellationToken);
    }

    public static async Task<int> ApplyAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({SchemaLockKey});", cancellationToken);
        try
        {
            await ExecuteAsync(connection,
                "CREATE TABLE IF NOT EXISTS AviarySchemaVersion (Version integer NOT NULL PRIMARY KEY, Script text NOT NULL, AppliedAt timestamptz NOT NULL DEFAULT now());",
                cancellationToken);
            var current = await CurrentVersionAsync(connection, cancellationToken);
            return await SchemaScripts.ApplyNewerAsync(connection, Dialect, current, (command, script) =>
            {
                var record = (NpgsqlCommand)command;
                record.CommandText = "INSERT INTO AviarySchemaVersion (Version, Script) VALUES (@v, @s);";
                record.Parameters.AddWithValue("v", script.Version);
                record.Parameters.AddWithValue("s", script.Name);
            }, cancellationToken);
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({SchemaLockKey});", CancellationToken.None);
        }
    }

    /// <summary>The recorded schema version; 0 when Aviary's schema was never applied.</summary>
    public static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        await using var exists = new NpgsqlCommand("SELECT to_regclass('aviaryschemaversion') IS NOT NULL;", connection);
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            return 0;
        await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(Version), 0) FROM AviarySchemaVersion;", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
