using System.Text.Json;
using Aviary.Workflows;

namespace Aviary.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class DataWorkflowTests(ClusterFixture fixture)
{
    [Fact]
    public async Task LoadThenExplore_PassesTheDatasetByReference_AndProfilesIt()
    {
        File.WriteAllText(Path.Combine(fixture.Files.InputRoot, "sales.csv"), "region,units\nnorth,2\nsouth,4\nnorth,\neast,9\n");
        var runId = $"data-{Guid.NewGuid():N}";
        var plan = new WorkflowPlan
        {
            Name = "data",
            Tasks =
            [
                new TaskSpec { Id = "load", Agent = AgentKinds.DataLoader, Input = new() { ["path"] = "sales.csv" } },
                new TaskSpec { Id = "explore", Agent = AgentKinds.Explorer, DependsOn = ["load"], Input = new() { ["data"] = "${tasks.load.result}" } },
                new TaskSpec
                {
                    Id = "aggregate", Agent = AgentKinds.Aggregator, DependsOn = ["load"],
                    Input = new() { ["data"] = "${tasks.load.result}", ["by"] = "region", ["value"] = "units" },
                },
            ],
        };
        await using var probe = await WorkflowEventProbe.SubscribeAsync(fixture.Client, runId);

        await fixture.Client.GetGrain<IWorkflowGrain>(runId).StartAsync(plan);
        var completed = await probe.CompletedAsync();

        Assert.Equal(WorkflowStatus.Succeeded, completed.Status);
        var view = (await fixture.Client.GetGrain<IWorkflowGrain>(runId).GetAsync())!;
        var profileRef = view.Tasks.Single(t => t.Id == "explore").ResultRef!;
        using var profile = JsonDocument.Parse(File.ReadAllText(fixture.Files.Result(profileRef)));
        Assert.Equal(4, profile.RootElement.GetProperty("rows").GetInt32());
        var units = profile.RootElement.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "units");
        Assert.Equal("integer", units.GetProperty("type").GetString());
        Assert.Equal(1, units.GetProperty("missing").GetInt32());
        Assert.Equal(5.0, units.GetProperty("mean").GetDouble());
        var aggregateRef = view.Tasks.Single(t => t.Id == "aggregate").ResultRef!;
        using var aggregate = JsonDocument.Parse(File.ReadAllText(fixture.Files.Result(aggregateRef)));
        var north = aggregate.RootElement.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("key").GetString() == "north");
        Assert.Equal((2, 2.0), (north.GetProperty("count").GetInt32(), north.GetProperty("sum").GetDouble()));
    }

    [Fact]
    public async Task SameFileInAnotherRun_IsLoadedForThatRun_AndAChangedFileIsReadAgain()
    {
        var file = $"cache-{Guid.NewGuid():N}.csv";
        var path = Path.Combine(fixture.Files.InputRoot, file);
        File.WriteAllText(path, "units\n1\n2\n3\n");
        var plan = new WorkflowPlan
        {
            Name = "cached",
            Tasks =
            [
                new TaskSpec { Id = "load", Agent = AgentKinds.DataLoader, Input = new() { ["path"] = file } },
                new TaskSpec { Id = "explore", Agent = AgentKinds.Explorer, DependsOn = ["load"], Input = new() { ["data"] = "${tasks.load.result}" } },
            ],
        };

        var first = await RunAsync(plan);
        var second = await RunAsync(plan);
        File.WriteAllText(path, "units\n1\n2\n3\n4\n5\n");
        var third = await RunAsync(plan);

        // Each run's results are files in its own folder (not references into another run's).
        foreach (var (runId, view) in new[] { first, second, third })
            Assert.All(view.Tasks, t => Assert.StartsWith(runId + Path.DirectorySeparatorChar, t.ResultRef));
        Assert.Equal([3, 3, 5], new[] { first, second, third }.Select(r => Rows(r.View)));
    }

    private async Task<(string RunId, WorkflowView View)> RunAsync(WorkflowPlan plan)
    {
        var runId = $"cached-{Guid.NewGuid():N}";
        await using var probe = await WorkflowEventProbe.SubscribeAsync(fixture.Client, runId);
        await fixture.Client.GetGrain<IWorkflowGrain>(runId).StartAsync(plan);
        Assert.Equal(WorkflowStatus.Succeeded, (await probe.CompletedAsync()).Status);
        return (runId, (await fixture.Client.GetGrain<IWorkflowGrain>(runId).GetAsync())!);
    }

    private int Rows(WorkflowView view)
    {
        using var profile = JsonDocument.Parse(File.ReadAllText(fixture.Files.Result(view.Tasks.Single(t => t.Id == "explore").ResultRef!)));
        return profile.RootElement.GetProperty("rows").GetInt32();
    }
}
