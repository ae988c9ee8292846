using Npgsql;

namespace Aviary.Silo.Storage;

/// <summary>The cluster profile's PostgreSQL: the invariant the Orleans ADO.NET providers know it by, and connection-string checks.</summary>
public static class PostgresConnection
{
    /// <summary>The ADO.NET invariant Orleans maps to Npgsql's factory.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>What is wrong with <paramref name="connectionString"/>, or null when it can be used.</summary>
    public static string? Problem(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            return $"not a valid PostgreSQL connection string ({ex.Message})";
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            return "names no Host";
        if (string.IsNullOrWhiteSpace(builder.Database))
            return "names no Database";
        return null;
    }

    /// <summary>The connection string without its password, for messages.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}";
    }
}
