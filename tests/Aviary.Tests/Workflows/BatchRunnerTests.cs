using Aviary.Agents;
using Aviary.Grains.Agents;
using Aviary.Workflows;
using Microsoft.Extensions.Time.Testing;

namespace Aviary.Tests.Workflows;

/// <summary>A worker's side of a batch: it runs what its pool gave it, and stops where the pool took the rest back.</summary>
public sealed class BatchRunnerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    /// <summary>"slow" waits for its cancellation; "overflow" throws; anything else succeeds at once.</summary>
    private sealed class TestAgent : IAgentExecutor
    {
        public TaskCompletionSource SlowBegan { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<string> Ran { get; } = [];

        public string Kind => AgentKinds.Simulated;

        public string Version => "1";

        public async Task<AgentResult> ExecuteAsync(AgentRequest request, CancellationToken cancellationToken)
        {
            Ran.Add(request.TaskId);
            switch (request.TaskId)
            {
                case "slow":
                    SlowBegan.SetResult();
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                    break;
                case "overflow":
                    throw new OverflowException("Arithmetic operation resulted in an overflow.");
            }
            return AgentResult.Ok($"done/{request.TaskId}");
        }
    }

    private (AgentPool Pool, AgentBatch Batch) OneBatch(params string[] taskIds)
    {
        var pool = new AgentPool(new AgentPoolOptions { MinWorkers = 1, MaxWorkers = 1 });
        foreach (var id in taskIds)
            pool.Enqueue(new WorkItem { RunId = "run", TaskId = id, Attempt = 1, Agent = AgentKinds.Simulated, Timeout = TimeSpan.FromSeconds(10) }, null);
        return (pool, pool.Start(_time.GetUtcNow()).Single());
    }

    [Fact]
    public async Task RunsEveryAttemptInOrder_AndAnAgentsExceptionIsAFailureOfItsType()
    {
        var agent = new TestAgent();
        var (_, batch) = OneBatch("a", "overflow", "b");

        var done = await BatchRunner.RunAsync(agent, batch, _time);

        Assert.Equal(["a", "overflow", "b"], agent.Ran);
        Assert.Equal([(true, "done/a", null), (false, null, nameof(OverflowException)), (true, "done/b", null)],
            done.Select(d => (d.Outcome.Succeeded, d.Outcome.ResultRef, d.Outcome.ErrorKind)));
        Assert.True(ErrorKinds.IsDeterministic(done[1].Outcome.ErrorKind));
    }

    [Fact]
    public async Task PoolGivingUpAtTheDeadline_CancelsTheAgent_AndTheWorkerStopsWhereThePoolTookTheRestBack()
    {
        var agent = new TestAgent();
        var (pool, batch) = OneBatch("slow", "a", "b");
        var running = Task.Run(() => BatchRunner.RunAsync(agent, batch, _time));
        await agent.SlowBegan.Task;

        _time.Advance(TimeSpan.FromSeconds(10));
        var answer = pool.TimeOut(_time.GetUtcNow()).Single();
        var done = await running;

        Assert.Equal(("slow", ErrorKinds.Timeout), (answer.Item.TaskId, answer.Outcome.ErrorKind));
        Assert.Equal(["slow"], agent.Ran);
        Assert.Equal(("slow", ErrorKinds.Timeout), (done.Single().Item.TaskId, done.Single().Outcome.ErrorKind));
        Assert.Empty(pool.Complete(batch.Id, done, _time.GetUtcNow())); // answered once, at the deadline
        Assert.Equal(["a", "b"], pool.Start(_time.GetUtcNow()).Single().Items.Select(q => q.Item.TaskId));
    }
}
