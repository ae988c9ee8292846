using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Aviary.Silo.Storage;

/// <summary>Aviary's own tables in the profile's database (the audit log, the key ring): SQLite embedded, PostgreSQL in a cluster.</summary>
public static class ProfileDatabase
{
    public static DbConnection Connection(string connectionString, bool postgres) =>
        postgres ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);

    /// <summary>An instant as the profile stores it: PostgreSQL takes it (UTC); SQLite, text whose order is time order.</summary>
    public static object Instant(DateTimeOffset at, bool postgres) =>
        postgres ? at.ToUniversalTime() : at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static void AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
