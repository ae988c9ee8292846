using Hangfire;
using Hangfire.Storage.SQLite;

namespace Aviary.Bench;

/// <summary>
/// Hangfire as a benchmark run meets it: a fresh SQLite file in a temp directory of its own, an
/// in-process <see cref="BackgroundJobServer"/> on it and a client; disposing stops the server
/// and deletes the directory.
/// </summary>
/// <remarks>
/// A fresh file per run because this storage slows as history grows (Hangfire keeps a succeeded
/// job for a day): four W2 runs in a row on one file took 17.6, 18.8, 22.0 and 23.6 s, and W2
/// after a W1 run 39 s. Each run starting empty keeps the figures free of run order, and the
/// start-up out of the wall time. What a job costs here: about 30 <c>fsync</c>s (strace counted
/// 34,522 for 1,161 jobs), since the storage's write transaction runs its commands one by one,
/// each its own SQLite commit, and this SQLite build syncs with <c>fsync</c> at every WAL commit.
/// </remarks>
public sealed class HangfireHost : IDisposable
{
    private readonly DirectoryInfo _directory;
    private readonly SQLiteStorage _storage;
    private readonly BackgroundJobServer _server;

    private HangfireHost(DirectoryInfo directory, SQLiteStorage storage, BackgroundJobServer server, string durability)
    {
        _directory = directory;
        _storage = storage;
        _server = server;
        Durability = durability;
        Client = new BackgroundJobClient(storage);
    }

    public IBackgroundJobClient Client { get; }

    /// <summary>The storage package and what its SQLite file commits with (<see cref="SqliteDurability"/>).</summary>
    public string Durability { get; }

    public static HangfireHost Start(HangfireBenchOptions options)
    {
        var directory = Directory.CreateTempSubdirectory("aviary-hangfire-");
        var path = Path.Combine(directory.FullName, "hangfire.db");
        // The storage's defaults otherwise: journal_mode WAL, synchronous left to SQLite, a pool of 20 connections.
        var storage = new SQLiteStorage(path, new SQLiteStorageOptions { QueuePollInterval = options.QueuePollInterval });
        var version = typeof(SQLiteStorage).Assembly.GetName().Version!.ToString(3);
        var durability = $"Hangfire.Storage.SQLite {version} on {SqliteFileSettings.Describe(path)}";
        var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = options.WorkerCount }, storage);
        return new HangfireHost(directory, storage, server, durability);
    }

    public void Dispose()
    {
        // The server first: its workers still poll the storage until they have stopped.
        _server.Dispose();
        _storage.Dispose();
        _directory.Delete(recursive: true);
    }
}
