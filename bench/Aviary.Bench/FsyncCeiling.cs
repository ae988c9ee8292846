using System.Diagnostics;

namespace Aviary.Bench;

/// <summary>
/// Fsyncs per second of a 4 KB append on a directory's disk, the figure durable workflow
/// throughput is bounded by: a store that makes each step durable before it goes on pays at
/// least one of these per step, unless it batches several steps into one.
/// </summary>
public static class FsyncCeiling
{
    private const int AppendBytes = 4096;

    /// <summary>
    /// Rounds before the measured interval: the first appends allocate the file's first extents
    /// and the first fsyncs start the journal, both slower than the steady state.
    /// </summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Appends 4 KB and fsyncs it, over and over, on one thread, for <paramref name="duration"/>
    /// after a one-second warm-up, in a fresh file in <paramref name="directory"/> that is deleted
    /// afterwards.
    /// </summary>
    /// <remarks>
    /// <see cref="FileStream.Flush(bool)"/> with <c>flushToDisk: true</c> calls the runtime's
    /// <c>SystemNative_FSync</c>, which on Linux is <c>fsync(2)</c> (not <c>fdatasync</c>; macOS
    /// gets <c>fcntl(F_FULLFSYNC)</c>); <c>strace -f -e trace=fsync,fdatasync</c> on this section
    /// shows one <c>pwrite64</c> and one <c>fsync</c> per round. Each append grows the file, so
    /// every fsync also commits the new size through the file system's journal, as a log that
    /// appends does; the e_sqlite3 build Aviary and Hangfire run on syncs its WAL with
    /// <c>fsync</c> too (strace shows no <c>fdatasync</c>).
    /// </remarks>
    public static Task<FsyncResult> MeasureAsync(string directory, TimeSpan duration) =>
        // Blocking syscalls for seconds: a thread of its own, not one of the pool's.
        Task.Factory.StartNew(() => Run(directory, duration), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static FsyncResult Run(string directory, TimeSpan duration)
    {
        var path = Path.Combine(directory, $"aviary-fsync-{Guid.NewGuid():N}.tmp");
        var block = new byte[AppendBytes];
        Random.Shared.NextBytes(block);
        try
        {
            // bufferSize 0: each Write is one write(2), nothing held back in a managed buffer.
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
            Rounds(file, block, WarmUp, latencies: null);
            var latencies = new List<double>(capacity: 16_384);
            var interval = Stopwatch.StartNew();
            Rounds(file, block, duration, latencies);
            var elapsed = interval.Elapsed;
            return new FsyncResult(directory, latencies.Count, elapsed,
                TimeSpan.FromMilliseconds(Measure.Percentile(latencies, 0.50)),
                TimeSpan.FromMilliseconds(Measure.Percentile(latencies, 0.99)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Rounds(FileStream file, byte[] block, TimeSpan duration, List<double>? latencies)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            file.Write(block);
            var before = Stopwatch.GetTimestamp();
            file.Flush(flushToDisk: true);
            latencies?.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
        }
    }
}
