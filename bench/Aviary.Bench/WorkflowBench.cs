using System.Diagnostics;
using Aviary.Workflows;

namespace Aviary.Bench;

/// <summary>No-op agents, durable state on (SQLite): W1 fan-out, W2 chain, W3 many small workflows.</summary>
public static class WorkflowBench
{
    public sealed record Result(string Name, int Workflows, int Tasks, TimeSpan Elapsed, long PeakWorkingSetBytes)
    {
        public double TasksPerSecond => Tasks / Elapsed.TotalSeconds;
        public double WorkflowsPerSecond => Workflows / Elapsed.TotalSeconds;
    }

    /// <summary>One small run of each shape, unreported: the measured runs then find the code jitted.</summary>
    public static async Task WarmUpAsync(IClusterClient client)
    {
        await FanOutAsync(client, 200);
        await ChainAsync(client, 20);
        await ManyAsync(client, 20, 5);
    }

    /// <summary>W1, W2 and W3 at full size, or small with <paramref name="quick"/>.</summary>
    public static IEnumerable<Func<Task<Result>>> All(IClusterClient client, bool quick) =>
    [
        () => FanOutAsync(client, quick ? 1_000 : 10_000),
        () => ChainAsync(client, quick ? 100 : 1_000),
        () => ManyAsync(client, quick ? 100 : 1_000, 5),
    ];

    private static TaskSpec Noop(string id, params string[] deps) => new() { Id = id, Agent = AgentKinds.Noop, DependsOn = deps };

    public static Task<Result> FanOutAsync(IClusterClient grains, int width)
    {
        var tasks = Enumerable.Range(0, width).Select(i => Noop($"t{i}")).Append(Noop("join", [.. Enumerable.Range(0, width).Select(i => $"t{i}")]));
        return RunAsync(grains, "W1 fan-out + join", [new WorkflowPlan { Name = "w1", Tasks = [.. tasks] }]);
    }

    public static Task<Result> ChainAsync(IClusterClient grains, int length)
    {
        var tasks = Enumerable.Range(0, length).Select(i => i == 0 ? Noop("t0") : Noop($"t{i}", $"t{i - 1}"));
        return RunAsync(grains, "W2 chain", [new WorkflowPlan { Name = "w2", Tasks = [.. tasks] }]);
    }

    public static Task<Result> ManyAsync(IClusterClient grains, int workflows, int length)
    {
        var plan = new WorkflowPlan { Name = "w3", Tasks = [.. Enumerable.Range(0, length).Select(i => i == 0 ? Noop("t0") : Noop($"t{i}", $"t{i - 1}"))] };
        return RunAsync(grains, $"W3 {workflows} × chain of {length}", [.. Enumerable.Repeat(plan, workflows)]);
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
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, plans.Length), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            // Poll the summary every 20 ms (the completion event would queue behind every task
            // event of the run on the subscriber's side; the full view of 10,000 tasks is a megabyte).
            var workflow = grains.GetGrain<IWorkflowGrain>($"{prefix}-{i}");
            await workflow.StartAsync(plans[i]);
            while ((await workflow.GetSummaryAsync())!.Status == WorkflowStatus.Running)
                await Task.Delay(20);
        });
        var elapsed = watch.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        return new Result(name, plans.Length, plans.Sum(p => p.Tasks.Length), elapsed, peak);
    }
}
