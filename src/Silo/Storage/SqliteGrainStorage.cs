using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Aviary.Silo.Storage;

/// <summary>
/// The embedded profile's grain storage: Aviary's own table in the SQLite file, read directly and
/// written through a <see cref="SqliteCommitQueue"/> so that writes of many grains share a commit.
/// The promise is the ADO.NET provider's: a write that returns is committed (and, with
/// <see cref="SqliteDurability.Full"/>, on disk); a write against a version someone else replaced
/// fails with <see cref="InconsistentStateException"/>. States are written with the Orleans
/// binary serializer, as in the cluster profile.
/// </summary>
public sealed class SqliteGrainStorage(
    string connectionString,
    string serviceId,
    SqliteCommitQueue commits,
    IGrainStorageSerializer serializer,
    IActivatorProvider activators,
    LegacyGrainStates legacy) : IGrainStorage
{
    private const string LegacyETagPrefix = "legacy:";

    public SqliteCommitQueue Commits => commits;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var id = grainId.ToString();
        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
            using var read = connection.CreateCommand();
            read.CommandText = GrainStateSql.Read;
            read.Parameters.AddWithValue("$service", serviceId);
            read.Parameters.AddWithValue("$state", stateName);
            read.Parameters.AddWithValue("$grain", id);
            using var row = read.ExecuteReader();
            if (row.Read())
            {
                var version = row.GetInt64(0);
                var payload = row.IsDBNull(1) ? null : (byte[])row.GetValue(1);
                grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
                grainState.RecordExists = payload is not null;
                grainState.State = payload is null ? Default<T>() : serializer.Deserialize<T>(new BinaryData(payload));
                return;
            }
        }
        if (await legacy.ReadAsync(stateName, grainId, grainState))
        {
            // Written by an earlier build: this grain's first write here inserts its row.
            grainState.ETag = LegacyETagPrefix + grainState.ETag;
            return;
        }
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Default<T>();
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = Bytes(serializer.Serialize(grainState.State));
        var version = await Store(stateName, grainId, grainState.ETag, payload);
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.ETag is null)
        {
            grainState.RecordExists = false;
            grainState.State = Default<T>();
            return;
        }
        // A cleared state keeps its row (NULL payload): the version goes on rising, and a state an
        // earlier build wrote is not read back from the old table.
        var version = await Store(stateName, grainId, grainState.ETag, null);
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = false;
        grainState.State = Default<T>();
    }

    /// <summary>Stores <paramref name="payload"/> (null: cleared) in the next shared commit; its new version once durable.</summary>
    private Task<long> Store(string stateName, GrainId grainId, string? etag, byte[]? payload)
    {
        var id = grainId.ToString();
        var expected = ExpectedVersion(etag);
        var at = ProfileDatabase.Instant(DateTimeOffset.UtcNow, postgres: false);
        return commits.EnqueueAsync(context =>
        {
            var command = context.Command(expected is null ? GrainStateSql.Insert : GrainStateSql.Update);
            command.Parameters.AddWithValue("$state", stateName);
            command.Parameters.AddWithValue("$grain", id);
            command.Parameters.Add("$payload", SqliteType.Blob).Value = (object?)payload ?? DBNull.Value;
            command.Parameters.AddWithValue("$expected", expected ?? 0);
            command.Parameters.AddWithValue("$at", at);
            return command.ExecuteScalar() is long version ? version : throw Conflict(context, stateName, id, expected);
        }, payload?.Length ?? 0);
    }

    private static InconsistentStateException Conflict(CommitContext context, string stateName, string grainId, long? expected)
    {
        var read = context.Command(GrainStateSql.ReadVersion);
        read.Parameters.AddWithValue("$state", stateName);
        read.Parameters.AddWithValue("$grain", grainId);
        var stored = read.ExecuteScalar() is long version ? version.ToString(CultureInfo.InvariantCulture) : "none";
        var had = expected?.ToString(CultureInfo.InvariantCulture) ?? "none";
        return new InconsistentStateException(
            $"grain state '{stateName}' of {grainId} was written elsewhere: stored version {stored}, this activation had {had}", stored, had);
    }

    /// <summary>The version a write must replace; null when there is no row of ours yet (none at all, or only an earlier build's).</summary>
    private static long? ExpectedVersion(string? etag) =>
        etag is null || etag.StartsWith(LegacyETagPrefix, StringComparison.Ordinal)
            ? null
            : long.Parse(etag, CultureInfo.InvariantCulture);

    private static byte[] Bytes(BinaryData data)
    {
        var memory = data.ToMemory();
        return MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();
    }

    private T Default<T>() => activators.GetActivator<T>().Create();
}
