using Aviary.Workflows;

namespace Aviary.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class AgentPoolClusterTests(ClusterFixture fixture)
{
    private sealed class PoolProbe : StreamProbe<AgentPoolEvent>
    {
        public static async Task<PoolProbe> SubscribeAsync(IClusterClient client, string agent)
        {
            var probe = new PoolProbe();
            await probe.SubscribeAsync(client, Names.AgentEvents, agent);
            return probe;
        }
    }

    [Fact]
    public async Task DeepQueue_ScalesThePoolToItsMaximum_AndReportsIt()
    {
        await using var probe = await PoolProbe.SubscribeAsync(fixture.Client, AgentKinds.Simulated);
        var runId = $"scale-{Guid.NewGuid():N}";
        // 30 slow-ish tasks at once: the queue is deeper than 10 workers.
        var plan = new WorkflowPlan
        {
            Name = "scale",
            Tasks = [.. Enumerable.Range(0, 30).Select(i => new TaskSpec { Id = $"t{i}", Agent = AgentKinds.Simulated, Input = new() { ["delayMs"] = "50", ["i"] = $"{runId}-{i}" } })],
        };
        await using var run = await WorkflowEventProbe.SubscribeAsync(fixture.Client, runId);

        await fixture.Client.GetGrain<IWorkflowGrain>(runId).StartAsync(plan);
        var scaled = await probe.WaitForAsync(e => e.Kind == "scaled" && e.Workers == 10, 1, "the pool scaled to 10 workers");
        await run.CompletedAsync();

        Assert.Equal(BreakerState.Closed, scaled.Breaker);
        var pool = await fixture.Client.GetGrain<IAgentPoolGrain>(AgentKinds.Simulated).GetAsync();
        Assert.Equal((2, 10), (pool.MinWorkers, pool.MaxWorkers));
        Assert.Equal(0, pool.Queued);
    }
}
