using Aviary.Silo.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Aviary.Tests.Cluster;

/// <summary>Aviary's SQLite grain storage and reminder table on a real file: versions, conflicts, clears, shared commits, failures, rows of earlier builds.</summary>
public sealed class SqliteGrainStorageTests : IAsyncLifetime
{
    private const string Service = "storage-tests";
    private readonly string _data = Directory.CreateTempSubdirectory("aviary-storage-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private readonly OldTable _old = new();
    private string _connectionString = "";
    private SqliteCommitQueue _queue = null!;
    private SqliteGrainStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _connectionString = SqliteStorage.ConnectionString(_data);
        await SqliteSchema.ApplyAsync(_connectionString);
        _queue = new SqliteCommitQueue(_connectionString, Service, SqliteDurability.Full, NullLogger.Instance);
        _storage = Storage(_queue);
    }

    public Task DisposeAsync()
    {
        _queue.Dispose();
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    private SqliteGrainStorage Storage(SqliteCommitQueue queue) =>
        new(_connectionString, Service, queue, new OrleansGrainStorageSerializer(_services.GetRequiredService<Serializer>()),
            _services.GetRequiredService<IActivatorProvider>(), new LegacyGrainStates(_connectionString, Service, _old));

    private static GrainId Grain(string key) => GrainId.Create("test", key);

    [Fact]
    public async Task Write_ReadBack_VersionRises_AndAStaleWriteIsRefused_ChangingNothing()
    {
        var mine = new GrainState<List<string>> { State = ["a"] };
        await _storage.ReadStateAsync("s", Grain("g"), new GrainState<List<string>>());
        await _storage.WriteStateAsync("s", Grain("g"), mine);
        Assert.Equal("1", mine.ETag);
        var stale = new GrainState<List<string>>();
        await _storage.ReadStateAsync("s", Grain("g"), stale);
        Assert.Equal(["a"], stale.State);
        Assert.True(stale.RecordExists);

        mine.State = ["a", "b"];
        await _storage.WriteStateAsync("s", Grain("g"), mine);
        Assert.Equal("2", mine.ETag);
        stale.State = ["other"];
        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("s", Grain("g"), stale));
        Assert.Equal("2", refused.StoredEtag);
        Assert.Equal("1", refused.CurrentEtag);
        var now = new GrainState<List<string>>();
        await _storage.ReadStateAsync("s", Grain("g"), now);
        Assert.Equal(["a", "b"], now.State);

        // A first write of a state that another writer already created is refused too.
        var blind = new GrainState<List<string>> { State = ["blind"] };
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("s", Grain("g"), blind));
    }

    [Fact]
    public async Task Clear_KeepsTheVersionRising_AndReadsAsNoRecord()
    {
        var state = new GrainState<List<string>> { State = ["x"] };
        await _storage.WriteStateAsync("s", Grain("c"), state);
        await _storage.ClearStateAsync("s", Grain("c"), state);
        Assert.Equal("2", state.ETag);
        Assert.False(state.RecordExists);
        var read = new GrainState<List<string>>();
        await _storage.ReadStateAsync("s", Grain("c"), read);
        Assert.False(read.RecordExists);
        Assert.Empty(read.State!);
        Assert.Equal("2", read.ETag);
        read.State = ["y"];
        await _storage.WriteStateAsync("s", Grain("c"), read);
        Assert.Equal("3", read.ETag);
    }

    [Fact]
    public async Task ManyGrainsWritingTogether_ShareCommits_AndEachIsAnsweredWithItsOwnVersion()
    {
        var states = Enumerable.Range(0, 500).Select(i => new GrainState<List<string>> { State = [$"v{i}"] }).ToArray();
        var before = _queue.Commits;
        await Task.WhenAll(states.Select((s, i) => _storage.WriteStateAsync("s", Grain($"many-{i}"), s)));
        Assert.All(states, s => Assert.Equal("1", s.ETag));
        Assert.Equal(500, _queue.Writes);
        Assert.True(_queue.Commits - before < 500, $"{_queue.Commits - before} commits for 500 writes");
        for (var i = 0; i < 500; i += 97)
        {
            var read = new GrainState<List<string>>();
            await _storage.ReadStateAsync("s", Grain($"many-{i}"), read);
            Assert.Equal([$"v{i}"], read.State);
        }
    }

    [Fact]
    public async Task AFailedCommit_FailsEveryWriterInIt_AndStoresNoneOfThem()
    {
        // A trigger makes the commit holding "poison" fail, as a full disk would.
        await using (var connection = new SqliteConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var trigger = connection.CreateCommand();
            trigger.CommandText = "CREATE TRIGGER poison BEFORE INSERT ON AviaryGrainState WHEN NEW.GrainId LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'disk full'); END;";
            await trigger.ExecuteNonQueryAsync();
        }
        var gate = new TaskCompletionSource();
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Holds the writer in a commit, so the next three writes queue and share the following one.
        var held = _queue.EnqueueAsync(_ => { holding.SetResult(); gate.Task.Wait(); return 0; }, 0);
        await holding.Task;
        var writes = new[] { "ok-1", "poison", "ok-2" }.Select(key => _storage.WriteStateAsync("s", Grain(key), new GrainState<List<string>> { State = [key] })).ToArray();
        gate.SetResult();
        await held;
        foreach (var write in writes)
            await Assert.ThrowsAsync<SqliteException>(() => write);
        var read = new GrainState<List<string>>();
        await _storage.ReadStateAsync("s", Grain("ok-1"), read);
        Assert.False(read.RecordExists);

        // The writer goes on with the next commit.
        var after = new GrainState<List<string>> { State = ["fine"] };
        await _storage.WriteStateAsync("s", Grain("ok-1"), after);
        Assert.Equal("1", after.ETag);
    }

    [Fact]
    public async Task AStateOfAnEarlierBuild_IsReadOnce_ThenWrittenHere_AndAClearDoesNotBringItBack()
    {
        await using (var connection = new SqliteConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var row = connection.CreateCommand();
            row.CommandText = $"INSERT INTO OrleansStorage VALUES ('{Service}', 's', 0, 0, 'old', 0, 0, x'00', '2026-11-30', 4);";
            await row.ExecuteNonQueryAsync();
        }
        _old.States[(typeof(List<string>).Name, "old")] = new List<string> { "from an earlier build" };
        var storage = Storage(_queue);
        var read = new GrainState<List<string>>();
        await storage.ReadStateAsync("s", Grain("old"), read);
        Assert.Equal(["from an earlier build"], read.State);

        read.State!.Add("moved");
        await storage.WriteStateAsync("s", Grain("old"), read);
        Assert.Equal("1", read.ETag);
        await storage.ClearStateAsync("s", Grain("old"), read);
        var again = new GrainState<List<string>>();
        await storage.ReadStateAsync("s", Grain("old"), again);
        Assert.False(again.RecordExists);
        Assert.Equal(1, _old.Reads);
    }

    [Fact]
    public async Task ReminderRows_Upsert_ReadByGrainAndRange_AndRemoveOnlyWithTheirVersion()
    {
        var table = new SqliteReminderTable(_connectionString, Service, _queue);
        var grain = Grain("reminded");
        var start = new DateTime(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc);
        var first = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "r", StartAt = start, Period = TimeSpan.FromMinutes(1) });
        var second = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "r", StartAt = start, Period = TimeSpan.FromMinutes(2) });
        Assert.NotEqual(first, second);

        var row = await table.ReadRow(grain, "r");
        Assert.NotNull(row);
        Assert.Equal(start, row.StartAt);
        Assert.Equal(TimeSpan.FromMinutes(2), row.Period);
        var hash = grain.GetUniformHashCode();
        Assert.Single((await table.ReadRows(hash - 1, hash)).Reminders);
        Assert.Empty((await table.ReadRows(hash, hash == uint.MaxValue ? 0 : hash + 1)).Reminders);
        Assert.Single((await table.ReadRows(0, 0)).Reminders); // begin = end: the whole ring

        Assert.False(await table.RemoveRow(grain, "r", first!));
        Assert.True(await table.RemoveRow(grain, "r", second!));
        Assert.Empty((await table.ReadRows(grain)).Reminders);
    }

    /// <summary>Stands in for the ADO.NET provider that reads the old table: what it holds by (state type, grain key).</summary>
    private sealed class OldTable : IGrainStorage
    {
        public Dictionary<(string Type, string Key), object> States { get; } = [];
        public int Reads { get; private set; }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            Reads++;
            if (States.TryGetValue((typeof(T).Name, grainId.Key.ToString()!), out var state))
            {
                grainState.State = (T)state;
                grainState.ETag = "4";
                grainState.RecordExists = true;
            }
            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new InvalidOperationException("earlier builds' table is never written");

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new InvalidOperationException("earlier builds' table is never written");
    }
}
