using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Aviary.Silo.Storage;

/// <summary>
/// The embedded profile's reminders, in the table earlier builds wrote through the Orleans ADO.NET
/// provider (deploy/sql/sqlite/003-reminders.sql), but written through the same
/// <see cref="SqliteCommitQueue"/> as grain state: a thousand workflow runs registering their
/// reminders at once share commits with their state instead of each taking SQLite's write lock
/// and an fsync of its own. Rows keep the ADO.NET provider's layout (grain id text, start time,
/// period in milliseconds, version as ETag), so either can read the other's.
/// </summary>
public sealed class SqliteReminderTable(string connectionString, string serviceId, SqliteCommitQueue commits) : IReminderTable
{
    private const string Columns = "GrainId, ReminderName, StartTime, Period, Version";

    // Earlier builds stored the hash as a signed 32-bit number; masking reads both that and the
    // unsigned value this table writes.
    private const string Hash = "(GrainHash & 4294967295)";

    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        Task.FromResult(Query($"SELECT {Columns} FROM OrleansRemindersTable WHERE ServiceId = $service AND GrainId = $grain;",
            ("$grain", grainId.ToString())));

    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        Task.FromResult(Query(begin < end
                ? $"SELECT {Columns} FROM OrleansRemindersTable WHERE ServiceId = $service AND {Hash} > $begin AND {Hash} <= $end;"
                : $"SELECT {Columns} FROM OrleansRemindersTable WHERE ServiceId = $service AND ({Hash} > $begin OR {Hash} <= $end);",
            ("$begin", (long)begin), ("$end", (long)end)));

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        Task.FromResult(Query($"SELECT {Columns} FROM OrleansRemindersTable WHERE ServiceId = $service AND GrainId = $grain AND ReminderName = $name;",
            ("$grain", grainId.ToString()), ("$name", reminderName)).Reminders.FirstOrDefault());

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        var grain = entry.GrainId.ToString();
        var hash = (long)entry.GrainId.GetUniformHashCode();
        var start = StoredTime(entry.StartAt);
        var period = (long)entry.Period.TotalMilliseconds;
        var name = entry.ReminderName;
        return await commits.EnqueueAsync(context =>
        {
            var command = context.Command("""
                INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
                VALUES ($service, $grain, $name, $start, $period, $hash, 0)
                ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
                SET StartTime = excluded.StartTime, Period = excluded.Period, GrainHash = excluded.GrainHash,
                    Version = OrleansRemindersTable.Version + 1
                RETURNING Version;
                """);
            command.Parameters.AddWithValue("$grain", grain);
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$start", start);
            command.Parameters.AddWithValue("$period", period);
            command.Parameters.AddWithValue("$hash", hash);
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }, 128);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        var grain = grainId.ToString();
        if (!long.TryParse(eTag, NumberStyles.Integer, CultureInfo.InvariantCulture, out var version))
            return Task.FromResult(false);
        return commits.EnqueueAsync(context =>
        {
            var command = context.Command(
                "DELETE FROM OrleansRemindersTable WHERE ServiceId = $service AND GrainId = $grain AND ReminderName = $name AND Version = $version;");
            command.Parameters.AddWithValue("$grain", grain);
            command.Parameters.AddWithValue("$name", reminderName);
            command.Parameters.AddWithValue("$version", version);
            return command.ExecuteNonQuery() == 1;
        }, 64);
    }

    public Task TestOnlyClearTable() =>
        commits.EnqueueAsync(context => context.Command("DELETE FROM OrleansRemindersTable WHERE ServiceId = $service;").ExecuteNonQuery(), 0);

    private ReminderTableData Query(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$service", serviceId);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        using var row = command.ExecuteReader();
        var entries = new List<ReminderEntry>();
        while (row.Read())
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(row.GetString(0)),
                ReminderName = row.GetString(1),
                StartAt = DateTime.Parse(row.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                Period = TimeSpan.FromMilliseconds(row.GetInt64(3)),
                ETag = row.GetInt64(4).ToString(CultureInfo.InvariantCulture),
            });
        }
        return new ReminderTableData(entries);
    }

    /// <summary>A start time as Microsoft.Data.Sqlite writes a UTC <see cref="DateTime"/> (what the ADO.NET provider left in the table).</summary>
    private static string StoredTime(DateTime at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
