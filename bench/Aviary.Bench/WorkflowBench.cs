using System.Diagnostics;
using Aviary.Workflows;

namespace Aviary.Bench;

/// <summary>No-op agents, durable state on (SQLite): W1 fan-out, W2 chain, W3 many small workflows.</summary>
public static class WorkflowBench
{
    public sealed record Result(string Name, int Workflows, int Tasks, TimeSpan Elapsed, long PeakWorkingSetBytes, TimeSpan GcPause)
    {
        public double TasksPerSecond => Tasks / Elapsed.TotalSeconds;
        public double WorkflowsPerSecond => Workflows / Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Unreported runs of each shape until the runtime's tiered JIT has settled (a cold W1 takes
    /// about twice as long as a warm one): the figures are the steady state of a running silo.
    /// </summary>
    public static async Task WarmUpAsync(IClusterClient client, bool quick)
    {
        for (var i = 0; i < (quick ? 1 : 5); i++)
        {
            await FanOutAsync(client, quick ? 1_000 : 10_000);
            await ChainAsync(client, 100);
            await ManyAsync(client, 100, 5);
        }
    }

    /// <summary>
    /// W1, W2 and W3 at full size (small with <paramref name="quick"/>), each with how many times
    /// to run it: a 10,000-task fan-out lasts a fraction of a second, so one garbage collection
    /// more or less moves a single run's figure by a third; the median of several says more.
    /// </summary>
    public static IEnumerable<(int Runs, Func<Task<Result>> Run)> All(IClusterClient client, bool quick) =>
    [
        (quick ? 3 : 15, () => FanOutAsync(client, quick ? 1_000 : 10_000)),
        (quick ? 1 : 3, () => ChainAsync(client, quick ? 100 : 1_000)),
        (quick ? 1 : 3, () => ManyAsync(client, quick ? 100 : 1_000, 5)),
    ];

    /// <summary>Runs <paramref name="run"/> <paramref name="runs"/> times: the fastest, the median and the slowest run, and all of them.</summary>
    public static async Task<(Result Fast, Result Median, Result Slow, IReadOnlyList<Result> All)> RepeatAsync(int runs, Func<Task<Result>> run)
    {
        var results = new List<Result>();
        for (var i = 0; i < runs; i++)
            results.Add(await run());
        var byTime = results.OrderBy(r => r.Elapsed).ToList();
        return (byTime[0], byTime[byTime.Count / 2], byTime[^1], results);
    }

    /// <summary>
    /// A no-op task whose input is unique to its run: the pools' result cache must not answer
    /// for the agent (identical inputs would be served from it after the first run).
    /// </summary>
    private static TaskSpec Noop(string run, string id, params string[] deps) =>
        new() { Id = id, Agent = AgentKinds.Noop, DependsOn = deps, Input = new() { ["run"] = run, ["task"] = id } };

    private static string NewRun() => Guid.NewGuid().ToString("N");

    public static Task<Result> FanOutAsync(IClusterClient grains, int width)
    {
        var run = NewRun();
        var tasks = Enumerable.Range(0, width).Select(i => Noop(run, $"t{i}")).Append(Noop(run, "join", [.. Enumerable.Range(0, width).Select(i => $"t{i}")]));
        return RunAsync(grains, "W1 fan-out + join", [new WorkflowPlan { Name = "w1", Tasks = [.. tasks] }]);
    }

    public static Task<Result> ChainAsync(IClusterClient grains, int length) =>
        RunAsync(grains, "W2 chain", [Chain("w2", length)]);

    public static Task<Result> ManyAsync(IClusterClient grains, int workflows, int length) =>
        RunAsync(grains, $"W3 {workflows} × chain of {length}", [.. Enumerable.Range(0, workflows).Select(_ => Chain("w3", length))]);

    private static WorkflowPlan Chain(string name, int length)
    {
        var run = NewRun();
        return new WorkflowPlan { Name = name, Tasks = [.. Enumerable.Range(0, length).Select(i => i == 0 ? Noop(run, "t0") : Noop(run, $"t{i}", $"t{i - 1}"))] };
    }

    private static async Task<Result> RunAsync(IClusterClient grains, string name, WorkflowPlan[] plans)
    {
        var prefix = Guid.NewGuid().ToString("N")[..6];
        var process = Process.GetCurrentProcess();
        long peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(50);
            }
        });
        var poll = TimeSpan.FromMilliseconds(plans.Length == 1 ? 5 : 20);
        var pause = GC.GetTotalPauseDuration();
        var watch = Stopwatch.StartNew();
        // Every run starts at once (32 starts in flight), then their summaries are polled until all
        // ended: often for one run that lasts a fraction of a second, less for a thousand, not to
        // load the silo. (The completion event would queue behind every task event of the run on
        // the subscriber's side; the full view of 10,000 tasks is a megabyte.)
        var workflows = Enumerable.Range(0, plans.Length).Select(i => grains.GetGrain<IWorkflowGrain>($"{prefix}-{i}")).ToArray();
        await Parallel.ForEachAsync(Enumerable.Range(0, plans.Length), new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (i, _) => await workflows[i].StartAsync(plans[i]));
        var running = workflows.ToList();
        while (running.Count > 0)
        {
            var statuses = await Task.WhenAll(running.Select(async w => (w, (await w.GetSummaryAsync())!.Status)));
            running = [.. statuses.Where(s => s.Status == WorkflowStatus.Running).Select(s => s.w)];
            if (running.Count > 0)
                await Task.Delay(poll);
        }
        var elapsed = watch.Elapsed;
        pause = GC.GetTotalPauseDuration() - pause;
        await sampling.CancelAsync();
        await sampler;
        return new Result(name, plans.Length, plans.Sum(p => p.Tasks.Length), elapsed, peak, pause);
    }
}
