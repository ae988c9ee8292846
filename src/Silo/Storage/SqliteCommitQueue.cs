using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Aviary.Silo.Storage;

/// <summary>
/// Group commit: every grain-state write in the process goes through one writer, which takes all
/// the writes (grain states, reminder rows) that arrived while its last commit ran and commits
/// them in one transaction, so a thousand grains that write together wait on one fsync instead
/// of a thousand. Nothing waits on purpose to gather a batch: a write that arrives when the
/// writer is idle commits at once, alone.
/// A writer's task completes only after the transaction holding its write committed (with the
/// durability of <see cref="SqliteDurability"/>); an ETag conflict fails that writer alone, and a
/// failed transaction fails every writer in it, having changed nothing.
/// </summary>
public sealed partial class SqliteCommitQueue : IDisposable
{
    /// <summary>At most this many writes share a commit, so one commit's work (and its writers' wait) stays bounded.</summary>
    public const int MaxBatchWrites = 1024;

    /// <summary>At most about this many payload bytes share a commit (a workflow chunk is up to ~60 KB).</summary>
    public const long MaxBatchBytes = 16 * 1024 * 1024;

    private readonly string _connectionString;
    private readonly string _serviceId;
    private readonly SqliteDurability _durability;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Thread _thread;
    private List<CommitItem> _pending = [];
    private bool _stopping;
    private long _commits;
    private long _writes;

    public SqliteCommitQueue(string connectionString, string serviceId, SqliteDurability durability, ILogger logger)
    {
        _connectionString = connectionString;
        _serviceId = serviceId;
        _durability = durability;
        _logger = logger;
        // The writer blocks in SQLite (and in fsync) for most of its life: a thread of its own
        // keeps that off the thread pool the grains run on.
        _thread = new Thread(Run) { IsBackground = true, Name = "aviary-sqlite-commit" };
        _thread.Start();
    }

    /// <summary>Transactions committed since start.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Writes committed since start (their ratio to <see cref="Commits"/> is the mean batch).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>
    /// Queues <paramref name="write"/>, which runs inside the next commit's transaction; the task
    /// completes with its result once that commit is durable. <paramref name="size"/> is roughly
    /// the bytes it writes, for the batch bound.
    /// </summary>
    public Task<T> EnqueueAsync<T>(Func<CommitContext, T> write, long size)
    {
        var item = new CommitItem<T>(write, size);
        lock (_gate)
        {
            if (_stopping)
                return Task.FromException<T>(new ObjectDisposedException(nameof(SqliteCommitQueue), "grain storage is shut down"));
            _pending.Add(item);
            _wake.Set();
        }
        return item.Done.Task;
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        while (true)
        {
            List<CommitItem> arrived;
            _wake.Wait();
            lock (_gate)
            {
                arrived = _pending;
                _pending = [];
                // Once Dispose has set _stopping the writer stays awake: it commits what came
                // before, then finds nothing more and ends.
                if (_stopping && arrived.Count == 0)
                    break;
                if (!_stopping)
                    _wake.Reset();
            }
            while (arrived.Count > 0)
            {
                var batch = TakeBatch(arrived);
                try
                {
                    connection ??= Open();
                    Commit(connection, batch);
                }
                catch (Exception ex)
                {
                    LogCommitFailed(_logger, ex, batch.Count);
                    foreach (var item in batch)
                        item.Fail(ex);
                    // The connection may be in any state after a failure: start the next batch on a fresh one.
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        connection?.Dispose();
    }

    /// <summary>Takes the oldest writes up to the batch bounds (always at least one) off <paramref name="queue"/>.</summary>
    private static List<CommitItem> TakeBatch(List<CommitItem> queue)
    {
        var count = 0;
        long bytes = 0;
        while (count < queue.Count && count < MaxBatchWrites && (count == 0 || bytes + queue[count].Size <= MaxBatchBytes))
            bytes += queue[count++].Size;
        var batch = queue.GetRange(0, count);
        queue.RemoveRange(0, count);
        return batch;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={_durability.SynchronousPragma()};";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private void Commit(SqliteConnection connection, List<CommitItem> batch)
    {
        var started = Stopwatch.GetTimestamp();
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            using var context = new CommitContext(connection, transaction, _serviceId);
            foreach (var item in batch)
                item.Run(context);
            transaction.Commit();
        }
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _writes, batch.Count);
        StorageMeters.Record(batch.Count, Stopwatch.GetElapsedTime(started));
        foreach (var item in batch)
            item.Complete();
    }

    /// <summary>Commits what is queued, then stops the writer; later writes fail.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
                return;
            _stopping = true;
            _wake.Set();
        }
        _thread.Join();
        _wake.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A grain-state commit of {Writes} writes failed; each of its writers is told")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int writes);
}

