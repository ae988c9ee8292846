using System.Data.Common;
using System.Globalization;
using Aviary.Silo.Storage;

namespace Aviary.Silo.Audit;

/// <summary>
/// The audit log in the profile's database (table <c>AviaryAudit</c>, deploy/sql): SQLite in the
/// embedded profile, PostgreSQL in a cluster, where every silo writes to the same table.
/// </summary>
public sealed class AuditStore(string connectionString, bool postgres)
{
    public const int MaxQueryRows = 1_000;

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO AviaryAudit (At, Caller, Method, Route, Service, Target, Body, Remote, Status, Outcome, Reason)
            VALUES (@At, @Caller, @Method, @Route, @Service, @Target, @Body, @Remote, @Status, @Outcome, @Reason)
            """;
        command.AddParameter("At", Time(entry.At));
        command.AddParameter("Caller", entry.Caller);
        command.AddParameter("Method", entry.Method);
        command.AddParameter("Route", entry.Route);
        command.AddParameter("Service", entry.Service);
        command.AddParameter("Target", entry.Target);
        command.AddParameter("Body", entry.Body);
        command.AddParameter("Remote", entry.Remote);
        command.AddParameter("Status", entry.Status);
        command.AddParameter("Outcome", entry.Outcome);
        command.AddParameter("Reason", entry.Reason);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The newest <paramref name="limit"/> entries since <paramref name="since"/>, of one service if given, newest first.</summary>
    public async Task<AuditEntry[]> QueryAsync(string? service, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT Id, At, Caller, Method, Route, Service, Target, Body, Remote, Status, Outcome, Reason FROM AviaryAudit
            WHERE At >= @Since {(service is null ? "" : "AND Service = @Service")}
            ORDER BY Id DESC LIMIT @Limit
            """;
        command.AddParameter("Since", Time(since));
        if (service is not null)
            command.AddParameter("Service", service);
        command.AddParameter("Limit", Math.Clamp(limit, 1, MaxQueryRows));
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(
                reader.GetInt64(0),
                postgres ? reader.GetFieldValue<DateTimeOffset>(1) : DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetString(8), reader.GetInt32(9), reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetString(11)));
        }
        return entries.ToArray();
    }

    /// <summary>Deletes entries older than <paramref name="before"/>; returns how many.</summary>
    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM AviaryAudit WHERE At < @Before";
        command.AddParameter("Before", Time(before));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = ProfileDatabase.Connection(connectionString, postgres);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private object Time(DateTimeOffset at) => ProfileDatabase.Instant(at, postgres);
}
