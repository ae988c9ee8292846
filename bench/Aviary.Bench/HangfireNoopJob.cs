using System.Collections.Concurrent;

namespace Aviary.Bench;

/// <summary>
/// The job every Hangfire shape runs: nothing, then it counts itself done, so the benchmark
/// learns of the last finish from the job itself (a completion it awaits) rather than by
/// polling Hangfire's monitoring API, whose own queries would load the same SQLite file.
/// </summary>
public static class HangfireNoopJob
{
    private static readonly ConcurrentDictionary<string, Countdown> Expected = new();

    /// <summary>
    /// Completes when <paramref name="count"/> jobs of <paramref name="run"/> have run. Call it
    /// before the first job is enqueued, or a fast job's signal finds nobody waiting.
    /// </summary>
    public static Task ExpectAsync(string run, int count)
    {
        var countdown = new Countdown(count);
        if (!Expected.TryAdd(run, countdown))
            throw new InvalidOperationException($"Run {run} is already expected.");
        return countdown.Done;
    }

    /// <summary>
    /// The job's body. Public and static because Hangfire stores a job as a method and its
    /// arguments and calls it by name, with no instance to activate.
    /// </summary>
    public static void Run(string run)
    {
        // A signal for a run nobody expects (a retry after its run was counted) is dropped.
        if (Expected.TryGetValue(run, out var countdown) && countdown.Signal())
            Expected.TryRemove(run, out _);
    }

    private sealed class Countdown(int count)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _left = count;

        public Task Done => _done.Task;

        /// <summary>Counts one job; true for the last, which completes <see cref="Done"/>.</summary>
        public bool Signal()
        {
            if (Interlocked.Decrement(ref _left) != 0)
                return false;
            _done.TrySetResult();
            return true;
        }
    }
}
