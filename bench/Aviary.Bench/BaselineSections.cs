using System.Globalization;

namespace Aviary.Bench;

/// <summary>
/// The sections that measure what Aviary's workflow figures are compared with, each alone:
/// <c>fsync [dir]</c>, the disk's durable-append ceiling, and <c>hangfire</c>, the same shapes on Hangfire.
/// </summary>
public static class BaselineSections
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task FsyncAsync(string directory, bool quick)
    {
        var r = await FsyncCeiling.MeasureAsync(directory, TimeSpan.FromSeconds(quick ? 2 : 10));
        Console.WriteLine($"## fsync ceiling (4 KB append + fsync, one thread, in {r.Directory}, {r.Elapsed.TotalSeconds:0} s after a 1 s warm-up)");
        Console.WriteLine("| fsyncs | fsyncs/s | latency median | latency p99 |");
        Console.WriteLine("|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(Invariant, $"| {r.Fsyncs:N0} | {r.PerSecond:N0} | {r.Median.TotalMilliseconds:0.00} ms | {r.P99.TotalMilliseconds:0.00} ms |"));
        Console.WriteLine();
    }

    public static async Task HangfireAsync(bool quick)
    {
        var options = quick ? new HangfireBenchOptions { FanOutRuns = 1, ChainRuns = 1, ManyRuns = 1 } : new HangfireBenchOptions();
        var report = await HangfireBench.RunShapesAsync(options, line => Console.Error.WriteLine(line));
        Console.WriteLine(string.Create(Invariant,
            $"## Hangfire 1.8 (Core) on SQLite, no-op jobs ({report.Storage}; in-process server, {report.Workers} workers, queue polled every {report.QueuePollInterval.TotalMilliseconds:0} ms; W1's join enqueued once the 10,000 counted themselves done)"));
        Console.WriteLine("| shape | tasks | runs | wall time median (min–max) | tasks/s median (min–max) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var s in report.Shapes)
            Console.WriteLine(string.Create(Invariant,
                $"| {s.Shape} | {s.Tasks:N0} | {s.Runs.Count} | {s.Median.TotalSeconds:0.00} s ({s.Min.TotalSeconds:0.00}–{s.Max.TotalSeconds:0.00}) | {s.TasksPerSecond(s.Median):N0} ({s.TasksPerSecond(s.Max):N0}–{s.TasksPerSecond(s.Min):N0}) |"));
        Console.WriteLine();
    }
}
