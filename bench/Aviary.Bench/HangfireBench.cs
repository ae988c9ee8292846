using System.Diagnostics;
using Hangfire;

namespace Aviary.Bench;

/// <summary>
/// The workflow benchmark's shapes on Hangfire (Core, no Pro) with SQLite storage and no-op
/// jobs, an in-process <see cref="BackgroundJobServer"/>: what a common .NET job runner does
/// with the same work on the same disk, beside Aviary's figures.
/// </summary>
/// <remarks>
/// Each run's wall time starts before the first enqueue, so creating the jobs counts, as
/// submitting the plan counts for Aviary, and ends when the last job itself signals
/// (<see cref="HangfireNoopJob"/>). One client thread creates the jobs, one at a time, while the
/// workers already run the first ones.
/// </remarks>
public static class HangfireBench
{
    public const int FanOutWidth = 10_000;
    public const int ChainLength = 1_000;
    public const int ManyChains = 1_000;
    public const int ManyChainLength = 5;

    /// <summary>
    /// Runs W1, W2 and W3 at the sizes of Aviary's workflow benchmark, after an unreported
    /// warm-up, each run on a fresh SQLite file in a temp directory deleted afterwards (<see cref="HangfireHost"/>).
    /// </summary>
    /// <param name="options">Workers, poll interval and run counts; <see cref="HangfireBenchOptions"/>'s defaults when null.</param>
    /// <param name="progress">Told of each run as it ends (the section writes it to stderr): a W1 run takes 80–115 s here.</param>
    public static async Task<HangfireReport> RunShapesAsync(HangfireBenchOptions? options = null, Action<string>? progress = null)
    {
        options ??= new HangfireBenchOptions();
        string durability;
        using (var host = HangfireHost.Start(options))
        {
            // JIT and the workers' first polls, none of it reported.
            await FanOutAsync(host.Client, 100);
            await ChainAsync(host.Client, 10);
            await ManyAsync(host.Client, 10, ManyChainLength);
            durability = host.Durability;
        }
        ShapeResult[] shapes =
        [
            await RepeatAsync("W1 fan-out + join", FanOutWidth + 1, options, options.FanOutRuns, client => FanOutAsync(client, FanOutWidth), progress),
            await RepeatAsync("W2 chain", ChainLength, options, options.ChainRuns, client => ChainAsync(client, ChainLength), progress),
            await RepeatAsync($"W3 {ManyChains:N0} × chain of {ManyChainLength}", ManyChains * ManyChainLength, options, options.ManyRuns,
                client => ManyAsync(client, ManyChains, ManyChainLength), progress),
        ];
        return new HangfireReport(durability, options.WorkerCount, options.QueuePollInterval, shapes);
    }

    /// <summary>Each run on a fresh <see cref="HangfireHost"/>: an empty SQLite file and a server started on it.</summary>
    private static async Task<ShapeResult> RepeatAsync(string shape, int tasks, HangfireBenchOptions options, int runs,
        Func<IBackgroundJobClient, Task<TimeSpan>> run, Action<string>? progress)
    {
        var walls = new List<TimeSpan>(runs);
        for (var i = 0; i < runs; i++)
        {
            using var host = HangfireHost.Start(options);
            walls.Add(await run(host.Client));
            progress?.Invoke($"hangfire {shape}: run {i + 1}/{runs} {walls[^1].TotalSeconds:0.0} s");
        }
        return new ShapeResult(shape, tasks, walls);
    }

    /// <summary>
    /// W1. Hangfire Core has no job that waits for many parents (batches are a Pro feature), so
    /// the join is enqueued by the benchmark once the no-op jobs have all counted themselves done,
    /// the join's start included in the wall time, which ends when the join has run.
    /// </summary>
    private static async Task<TimeSpan> FanOutAsync(IBackgroundJobClient client, int width)
    {
        var run = NewRun();
        var join = NewRun();
        var allDone = HangfireNoopJob.ExpectAsync(run, width);
        var joined = HangfireNoopJob.ExpectAsync(join, 1);
        var clock = Stopwatch.StartNew();
        await Task.Run(() =>
        {
            for (var i = 0; i < width; i++)
                client.Enqueue(() => HangfireNoopJob.Run(run));
        });
        await allDone;
        client.Enqueue(() => HangfireNoopJob.Run(join));
        await joined;
        return clock.Elapsed;
    }

    /// <summary>W2: each job a continuation of the one before (<c>ContinueJobWith</c>, on success).</summary>
    private static async Task<TimeSpan> ChainAsync(IBackgroundJobClient client, int length)
    {
        var run = NewRun();
        var done = HangfireNoopJob.ExpectAsync(run, length);
        var clock = Stopwatch.StartNew();
        await Task.Run(() => Chain(client, run, length));
        await done;
        return clock.Elapsed;
    }

    /// <summary>W3: <paramref name="chains"/> chains created one after another, all running together.</summary>
    private static async Task<TimeSpan> ManyAsync(IBackgroundJobClient client, int chains, int length)
    {
        var run = NewRun();
        var done = HangfireNoopJob.ExpectAsync(run, chains * length);
        var clock = Stopwatch.StartNew();
        await Task.Run(() =>
        {
            for (var i = 0; i < chains; i++)
                Chain(client, run, length);
        });
        await done;
        return clock.Elapsed;
    }

    private static void Chain(IBackgroundJobClient client, string run, int length)
    {
        var previous = client.Enqueue(() => HangfireNoopJob.Run(run));
        for (var i = 1; i < length; i++)
            previous = client.ContinueJobWith(previous, () => HangfireNoopJob.Run(run));
    }

    private static string NewRun() => Guid.NewGuid().ToString("N");
}
