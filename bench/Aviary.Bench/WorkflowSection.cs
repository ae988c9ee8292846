using System.Globalization;
using Aviary.Silo.Storage;

namespace Aviary.Bench;

/// <summary>
/// The workflow shapes on the embedded profile with each durability, beside what binds them and
/// what they are compared with, all measured in this one run: the fsync ceiling of the data
/// directory's disk, and Hangfire on SQLite running the same shapes.
/// </summary>
public static class WorkflowSection
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task RunAsync(bool quick, bool withHangfire)
    {
        var medians = new Dictionary<(string Shape, SqliteDurability Durability), double>();
        FsyncResult? ceiling = null;
        Console.WriteLine("## Workflows (no-op agents, SQLite state, a fresh silo per durability; runs after a warm-up)");
        Console.WriteLine("| run | workflows | tasks | runs | wall time median (min–max) | tasks/s median (min–max) | workflows/s median | GC pause per run | peak working set | commits per run (writes per commit) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var durability in new[] { SqliteDurability.Full, SqliteDurability.Process })
        {
            await using var silo = await BenchSilo.StartAsync(durability: durability);
            // The disk the silo's file is on, measured while nothing else writes to it.
            ceiling ??= await FsyncCeiling.MeasureAsync(silo.DataDirectory, TimeSpan.FromSeconds(quick ? 2 : 5));
            await WorkflowBench.WarmUpAsync(silo.Client, quick);
            foreach (var (runs, run) in WorkflowBench.All(silo.Client, quick))
            {
                var (commits, writes) = (silo.Commits.Commits, silo.Commits.Writes);
                var (fast, median, slow, results) = await WorkflowBench.RepeatAsync(runs, run);
                (commits, writes) = (silo.Commits.Commits - commits, silo.Commits.Writes - writes);
                medians[(median.Name[..2], durability)] = median.TasksPerSecond;
                Console.WriteLine(string.Create(Invariant,
                    $"| {median.Name}, {durability.ToString().ToLowerInvariant()} | {median.Workflows:N0} | {median.Tasks:N0} | {runs} | {median.Elapsed.TotalSeconds:0.000} s ({fast.Elapsed.TotalSeconds:0.000}–{slow.Elapsed.TotalSeconds:0.000}) | {median.TasksPerSecond:N0} ({slow.TasksPerSecond:N0}–{fast.TasksPerSecond:N0}) | {median.WorkflowsPerSecond:N1} | {results.Average(r => r.GcPause.TotalMilliseconds):0} ms | {results.Max(r => r.PeakWorkingSetBytes) / 1024 / 1024:N0} MB | {commits / runs:N0} ({(double)writes / Math.Max(1, commits):0.0}) |"));
            }
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(Invariant,
            $"fsync ceiling of the data directory's disk (4 KB append + fsync, one thread): **{ceiling!.PerSecond:N0}/s** (median {ceiling.Median.TotalMilliseconds:0.00} ms, p99 {ceiling.P99.TotalMilliseconds:0.00} ms)."));
        Console.WriteLine();

        HangfireReport? hangfire = null;
        if (withHangfire)
        {
            var options = quick ? new HangfireBenchOptions { FanOutRuns = 1, ChainRuns = 1, ManyRuns = 1 } : new HangfireBenchOptions();
            hangfire = await HangfireBench.RunShapesAsync(options, line => Console.Error.WriteLine(line));
        }

        Console.WriteLine("| shape | Aviary, full | Aviary, process | Hangfire on SQLite | Aviary full ÷ Hangfire | Aviary full ÷ fsync ceiling |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var shape in new[] { "W1", "W2", "W3" })
        {
            var full = medians[(shape, SqliteDurability.Full)];
            var process = medians[(shape, SqliteDurability.Process)];
            var peer = hangfire?.Shapes.FirstOrDefault(s => s.Shape.StartsWith(shape, StringComparison.Ordinal));
            var peerRate = peer is null ? double.NaN : peer.TasksPerSecond(peer.Median);
            Console.WriteLine(string.Create(Invariant,
                $"| {shape} | {full:N0} tasks/s | {process:N0} tasks/s | {(peer is null ? "not run" : $"{peerRate:N0} tasks/s")} | {(peer is null ? "" : $"{full / peerRate:N0}×")} | {full / ceiling.PerSecond:0.00} |"));
        }
        if (hangfire is not null)
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(Invariant,
                $"Hangfire: {hangfire.Storage}; in-process server, {hangfire.Workers} workers, queue polled every {hangfire.QueuePollInterval.TotalMilliseconds:0} ms; W1's join enqueued once the 10,000 counted themselves done (batches are a Pro feature)."));
        }
        Console.WriteLine();
    }
}
