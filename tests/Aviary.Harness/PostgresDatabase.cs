using Npgsql;

namespace Aviary.Harness;

/// <summary>
/// A fresh PostgreSQL database for one test or trial, dropped afterwards. The server comes from
/// <c>AVIARY_TEST_POSTGRES</c> (a connection string for a role that may create databases;
/// default: role aviary/aviary on 127.0.0.1:5432, as deploy/scripts/test-postgres.sh sets up).
/// Without a server, <see cref="CreateAsync"/> throws <see cref="PostgresUnavailableException"/>:
/// tests skip on it unless <c>AVIARY_TEST_POSTGRES_REQUIRED=1</c> (CI), where they fail.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    public const string ServerVariable = "AVIARY_TEST_POSTGRES";
    public const string RequiredVariable = "AVIARY_TEST_POSTGRES_REQUIRED";
    private const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=aviary;Password=aviary;Database=postgres;Timeout=15";

    private static readonly Lazy<Task<string?>> Unavailable = new(ProbeAsync);

    private readonly string _server;

    private PostgresDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>Connection string of the fresh database (pooled, as in production: dropping it forces idle connections closed).</summary>
    public string ConnectionString { get; }

    private static string Server => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } configured ? configured : DefaultServer;

    public static bool Required => Environment.GetEnvironmentVariable(RequiredVariable) == "1";

    /// <summary>Creates a database; throws <see cref="PostgresUnavailableException"/> when no server answers.</summary>
    public static async Task<PostgresDatabase> CreateAsync()
    {
        if (await Unavailable.Value is { } reason)
            throw new PostgresUnavailableException($"no PostgreSQL for cluster tests: {reason} (set {ServerVariable}, or run deploy/scripts/test-postgres.sh start)");
        var name = $"aviary_t_{Guid.NewGuid():N}"[..24];
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return new PostgresDatabase(Server, name);
    }

    /// <summary>Null when a server answers. Where one is required (CI), a busy machine gets 30 s of tries before the answer is no.</summary>
    private static async Task<string?> ProbeAsync()
    {
        var deadline = DateTimeOffset.UtcNow + (Required ? TimeSpan.FromSeconds(30) : TimeSpan.Zero);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(Server);
                await connection.OpenAsync();
                return null;
            }
            catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException)
            {
                if (ex is ArgumentException || DateTimeOffset.UtcNow >= deadline)
                    return $"{new NpgsqlConnectionStringBuilder(Server).Host} does not answer ({ex.Message})";
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

public sealed class PostgresUnavailableException(string message) : Exception(message);
