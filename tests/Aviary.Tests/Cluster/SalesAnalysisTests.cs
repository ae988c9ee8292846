using Aviary.Agents.Data;
using Aviary.Client.Commands;
using Aviary.Tests.EndToEnd;
using Aviary.Workflows;

namespace Aviary.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class SalesAnalysisTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Example_RunsAllEightAgentsOnMessyData_AndWritesReportAndCharts()
    {
        var input = Path.Combine(fixture.Files.InputRoot, "sales-messy.csv");
        DatasetWriter.Write(DataGenerator.Generate(2_000, messy: true, seed: 11), "csv", input);
        var plan = WorkflowRunCommands.Substitute(PlanFile.Load(Path.Combine(RepoPaths.Root, "examples", "sales-analysis.yaml")), input);
        Assert.Equal(8, plan.Tasks.Select(t => t.Agent).Distinct().Count());
        var runId = $"sales-{Guid.NewGuid():N}";
        await using var probe = await WorkflowEventProbe.SubscribeAsync(fixture.Client, runId);

        await fixture.Client.GetGrain<IWorkflowGrain>(runId).StartAsync(plan);
        var completed = await probe.CompletedAsync();

        var view = (await fixture.Client.GetGrain<IWorkflowGrain>(runId).GetAsync())!;
        Assert.True(completed.Status == WorkflowStatus.Succeeded, string.Join("; ", view.Tasks.Select(t => $"{t.Id}: {t.Status} {t.Error}")));
        var report = fixture.Files.Result(view.Tasks.Single(t => t.Id == "report").ResultRef!);
        var markdown = File.ReadAllText(report);
        Assert.StartsWith("# Sales analysis", markdown);
        Assert.Contains("## Findings", markdown);
        Assert.Contains("| unit_price | mixed |", markdown);
        Assert.Contains("duplicate row(s)", markdown);
        Assert.Contains("## By region", markdown);
        Assert.True(File.Exists(Path.ChangeExtension(report, ".html")));
        var folder = Path.GetDirectoryName(report)!;
        Assert.Equal(2, Directory.GetFiles(folder, "chart-*.png").Length);

        // Cost accounting: every agent did real work on its own thread, and the run sums it.
        Assert.All(view.Tasks, t =>
        {
            Assert.True(t.Use.AllocatedBytes > 0, $"{t.Id} allocated nothing");
            Assert.True(t.Use.Wall > TimeSpan.Zero, $"{t.Id} took no time");
            Assert.True(t.Use.PeakHeapBytes > 0, $"{t.Id} saw no heap");
            if (OperatingSystem.IsLinux())
                Assert.True(t.Use.Cpu > TimeSpan.Zero, $"{t.Id} used no CPU");
        });
        Assert.Equal(view.Tasks.Sum(t => t.Use.AllocatedBytes), view.Use.AllocatedBytes);
        Assert.Equal(view.Tasks.Max(t => t.Use.PeakHeapBytes), view.Use.PeakHeapBytes);
        Assert.Equal(TimeSpan.FromTicks(view.Tasks.Sum(t => t.Use.Cpu.Ticks)), view.Use.Cpu);
        var loader = await fixture.Client.GetGrain<IAgentPoolGrain>(AgentKinds.DataLoader).GetAsync();
        Assert.True(loader.Use.AllocatedBytes >= view.Tasks.Single(t => t.Id == "load").Use.AllocatedBytes);
    }
}
