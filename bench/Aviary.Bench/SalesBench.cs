using System.Diagnostics;
using Aviary.Agents;
using Aviary.Agents.Data;
using Aviary.Client.Commands;
using Aviary.Client.Workflows;
using Aviary.Harness;
using Aviary.Workflows;

namespace Aviary.Bench;

/// <summary>
/// <c>examples/sales-analysis.yaml</c> (all eight data agents) on a generated messy dataset, on a
/// silo with SQLite state: end-to-end wall time per run, and per task what its pool measured.
/// </summary>
public static class SalesBench
{
    public sealed record Result(TimeSpan Elapsed, WorkflowView View, long PeakWorkingSetBytes);

    /// <summary>
    /// Runs of the example as it is (independent tasks in parallel), then one with every task
    /// waiting for the one before it, so that each agent's heap high-water is its own; and the
    /// silo's settled heap before that run, the base those high-waters stand on.
    /// </summary>
    public sealed record Report(long InputBytes, WorkflowPlan Plan, List<Result> Results, Result Alone, long SettledHeapBytes);

    /// <summary>Writes the dataset (<paramref name="rows"/> messy rows, seed 42) and runs the example <paramref name="runs"/> times, each a run of its own.</summary>
    public static async Task<Report> RunAsync(int rows, int runs)
    {
        var root = Directory.CreateTempSubdirectory("aviary-bench-sales-").FullName;
        var input = Path.Combine(root, $"sales-{rows}-messy.csv");
        DatasetWriter.Write(DataGenerator.Generate(rows, messy: true), "csv", input);
        var inputBytes = new FileInfo(input).Length;
        var plan = WorkflowRunCommands.Substitute(PlanFile.Load(Path.Combine(RepoPaths.Root, "examples", "sales-analysis.yaml")), input);

        var results = new List<Result>();
        await using var silo = await BenchSilo.StartAsync(new AgentFiles(root, Path.Combine(root, "outputs")));
        for (var i = 0; i < runs; i++)
            results.Add(await RunOnceAsync(silo.Client, $"sales-bench-{i}", plan));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var settled = GC.GetTotalMemory(forceFullCollection: true);
        var alone = await RunOnceAsync(silo.Client, "sales-bench-alone", OneAtATime(plan));
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleaning.
        }
        return new Report(inputBytes, plan, results, alone, settled);
    }

    private static async Task<Result> RunOnceAsync(IClusterClient client, string runId, WorkflowPlan plan)
    {
        var workflow = client.GetGrain<IWorkflowGrain>(runId);
        var clock = Stopwatch.StartNew();
        await workflow.StartAsync(plan);
        WorkflowView view;
        while ((view = (await workflow.GetAsync())!).Status == WorkflowStatus.Running)
            await Task.Delay(TimeSpan.FromMilliseconds(10));
        clock.Stop();
        if (view.Status != WorkflowStatus.Succeeded)
            throw new InvalidOperationException($"sales analysis ended {view.Status}: {string.Join("; ", view.Tasks.Where(t => t.Error is not null).Select(t => $"{t.Id}: {t.Error}"))}");
        return new Result(clock.Elapsed, view, Process.GetCurrentProcess().PeakWorkingSet64);
    }

    /// <summary>The plan with each task also waiting for the one listed before it (the example lists them in dependency order).</summary>
    private static WorkflowPlan OneAtATime(WorkflowPlan plan) => plan with
    {
        Tasks = [.. plan.Tasks.Select((t, i) => i == 0 ? t : t with { DependsOn = [.. t.DependsOn.Append(plan.Tasks[i - 1].Id).Distinct()] })],
    };
}
