using Aviary.Grains.Workflows;
using Aviary.Harness;
using Aviary.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Aviary.Tests.Cluster;

public sealed class WorkflowDurabilityTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("aviary-wf-durability-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Restart_MidWorkflow_KeepsFinishedTasks_AndRetriesTheOneInFlight()
    {
        const string runId = "durable-run";
        var retry = new RetryPolicy { MaxAttempts = 3, InitialInterval = TimeSpan.FromSeconds(10), MaxInterval = TimeSpan.FromMinutes(1) };
        var plan = new WorkflowPlan
        {
            Name = "restart",
            Tasks =
            [
                new TaskSpec { Id = "a", Agent = AgentKinds.Noop, Retry = retry },
                new TaskSpec { Id = "c", Agent = AgentKinds.Noop, Retry = retry, Input = new() { ["n"] = "c" } },
                // In flight when the silo stops: its first attempt takes 30 s, later ones none.
                new TaskSpec
                {
                    Id = "b", Agent = AgentKinds.Simulated, DependsOn = ["a"], Retry = retry,
                    Input = new() { ["delayMs"] = "30000", ["delayAttempts"] = "1", ["run"] = runId },
                },
                new TaskSpec { Id = "d", Agent = AgentKinds.Noop, DependsOn = ["b", "c"], Retry = retry, Input = new() { ["n"] = "d" } },
            ],
        };

        await using (var first = await SqliteCluster.StartAsync(_dataDirectory, _time))
        {
            await using var probe = await WorkflowEventProbe.SubscribeAsync(first.Client, runId);
            await first.Client.GetGrain<IWorkflowGrain>(runId).StartAsync(plan);
            await probe.WaitForAsync(e => e.Kind == "started" && e.TaskId == "b", "b started");
            await probe.WaitForAsync(e => e.Kind == "succeeded" && e.TaskId == "c", "c succeeded");
            await first.StopAllSilosAsync();
        }

        await using var second = await SqliteCluster.StartAsync(_dataDirectory, _time);
        await using var probe2 = await WorkflowEventProbe.SubscribeAsync(second.Client, runId);
        // Nobody calls the run: its reminder brings it back, and the interrupted attempt is retried
        // per policy. It may wake (and say so) before probe2 subscribed: wait for the wake without
        // calling it, then read the retry from its state.
        var workflow = second.Client.GetGrain<IWorkflowGrain>(runId);
        await second.WaitUntilWokenAsync(workflow, "the run");
        var waiting = await Poll.UntilAsync(async () => (await workflow.GetAsync())!.Tasks.Single(t => t.Id == "b"), b => b.Status != TaskRunStatus.Running, "b's retry after the restart");
        Assert.Equal((TaskRunStatus.RetryWaiting, 1), (waiting.Status, waiting.Attempts));
        _time.Advance(retry.InitialInterval);
        var completed = await probe2.CompletedAsync();

        Assert.Equal(WorkflowStatus.Succeeded, completed.Status);
        var view = (await workflow.GetAsync())!;
        var attempts = view.Tasks.ToDictionary(t => t.Id, t => (t.Status, t.Attempts));
        Assert.Equal((TaskRunStatus.Succeeded, 1), attempts["a"]);
        Assert.Equal((TaskRunStatus.Succeeded, 1), attempts["c"]);
        Assert.Equal((TaskRunStatus.Succeeded, 2), attempts["b"]);
        Assert.Equal((TaskRunStatus.Succeeded, 1), attempts["d"]);
        Assert.DoesNotContain(probe2.Events, e => e.Kind == "started" && e.TaskId is "a" or "c");
    }

    [Fact]
    public async Task Restart_RunStoredInSeveralChunks_ResumesFromEveryChunk()
    {
        // 2,200 tasks: three chunks of progress (1,024, 1,024, 152). The slow task sits in the last.
        const string runId = "durable-chunks";
        const int width = 2_199;
        var retry = new RetryPolicy { MaxAttempts = 3, InitialInterval = TimeSpan.FromSeconds(10), MaxInterval = TimeSpan.FromMinutes(1) };
        var quick = Enumerable.Range(0, width).Select(i => new TaskSpec { Id = $"n{i}", Agent = AgentKinds.Noop, Retry = retry, Input = new() { ["run"] = runId, ["n"] = $"{i}" } });
        var slow = new TaskSpec
        {
            Id = "slow", Agent = AgentKinds.Simulated, Retry = retry,
            Input = new() { ["delayMs"] = "30000", ["delayAttempts"] = "1", ["run"] = runId },
        };
        var join = new TaskSpec { Id = "join", Agent = AgentKinds.Noop, Retry = retry, DependsOn = [.. quick.Select(t => t.Id), "slow"], Input = new() { ["run"] = runId } };
        var plan = new WorkflowPlan { Name = "chunks", Tasks = [.. quick, slow, join] };
        Assert.True(plan.Tasks.Length > 2 * Aviary.Grains.Workflows.WorkflowProgressStore.ChunkSize);

        await using (var first = await SqliteCluster.StartAsync(_dataDirectory, _time))
        {
            await using var probe = await WorkflowEventProbe.SubscribeAsync(first.Client, runId);
            await first.Client.GetGrain<IWorkflowGrain>(runId).StartAsync(plan);
            await probe.WaitForAsync(e => e.Kind == "started" && e.TaskId == "slow", "slow started");
            // Events go out after their flush is stored: every quick task's success is stored.
            await probe.WaitForAsync(e => e.Kind == "succeeded" && e.TaskId!.StartsWith('n'), width, "every quick task succeeded");
            await first.StopAllSilosAsync();
        }

        await using var second = await SqliteCluster.StartAsync(_dataDirectory, _time);
        await using var probe2 = await WorkflowEventProbe.SubscribeAsync(second.Client, runId);
        var workflow = second.Client.GetGrain<IWorkflowGrain>(runId);
        var restored = (await workflow.GetAsync())!.Tasks;
        Assert.Equal(plan.Tasks.Length, restored.Length);
        Assert.All(restored.Where(t => t.Id.StartsWith('n')), t => Assert.Equal((TaskRunStatus.Succeeded, 1), (t.Status, t.Attempts)));
        Assert.Equal(plan.Tasks.Select(t => t.Id), restored.Select(t => t.Id));

        // Restored on activation (which the reminder may have done before probe2 subscribed): read it.
        Assert.Equal((TaskRunStatus.RetryWaiting, 1), restored.Where(t => t.Id == "slow").Select(t => (t.Status, t.Attempts)).Single());
        _time.Advance(retry.InitialInterval);
        var completed = await probe2.CompletedAsync();

        Assert.Equal(WorkflowStatus.Succeeded, completed.Status);
        var view = (await workflow.GetAsync())!;
        Assert.Equal((TaskRunStatus.Succeeded, 2), view.Tasks.Where(t => t.Id == "slow").Select(t => (t.Status, t.Attempts)).Single());
        Assert.Equal((TaskRunStatus.Succeeded, 1), view.Tasks.Where(t => t.Id == "join").Select(t => (t.Status, t.Attempts)).Single());
        Assert.DoesNotContain(probe2.Events, e => e.Kind == "started" && e.TaskId!.StartsWith('n'));
    }

    [Fact]
    public async Task RunWrittenByThisBuild_IsRestoredFromItsProgressChunksAlone()
    {
        // The run's own record holds no task: none is written while the run runs, and the one
        // written at its end says how it ended. Every task comes back from the chunks.
        const string runId = "durable-own-record";
        var retry = new RetryPolicy { MaxAttempts = 3, InitialInterval = TimeSpan.FromSeconds(10), MaxInterval = TimeSpan.FromMinutes(1) };
        var plan = new WorkflowPlan
        {
            Name = "own-record",
            Tasks =
            [
                new TaskSpec { Id = "quick", Agent = AgentKinds.Noop, Retry = retry, Input = new() { ["run"] = runId } },
                new TaskSpec { Id = "slow", Agent = AgentKinds.Simulated, Retry = retry, Input = new() { ["delayMs"] = "30000", ["delayAttempts"] = "1", ["run"] = runId } },
            ],
        };

        await using (var first = await SqliteCluster.StartAsync(_dataDirectory, _time))
        {
            await using var probe = await WorkflowEventProbe.SubscribeAsync(first.Client, runId);
            await first.Client.GetGrain<IWorkflowGrain>(runId).StartAsync(plan);
            await probe.WaitForAsync(e => e.Kind == "started" && e.TaskId == "slow", "slow started");
            await probe.WaitForAsync(e => e.Kind == "succeeded" && e.TaskId == "quick", "quick succeeded");
            Assert.False((await RunRecordAsync(first, runId)).RecordExists);
            await first.StopAllSilosAsync();
        }

        await using (var second = await SqliteCluster.StartAsync(_dataDirectory, _time))
        {
            Assert.False((await RunRecordAsync(second, runId)).RecordExists);
            await using var probe = await WorkflowEventProbe.SubscribeAsync(second.Client, runId);
            var workflow = second.Client.GetGrain<IWorkflowGrain>(runId);
            var restored = (await workflow.GetAsync())!.Tasks.ToDictionary(t => t.Id, t => (t.Status, t.Attempts));
            Assert.Equal((TaskRunStatus.Succeeded, 1), restored["quick"]);
            Assert.Equal((TaskRunStatus.RetryWaiting, 1), restored["slow"]);
            _time.Advance(retry.InitialInterval);
            Assert.Equal(WorkflowStatus.Succeeded, (await probe.CompletedAsync()).Status);

            var ended = await RunRecordAsync(second, runId);
            Assert.True(ended.RecordExists);
            Assert.NotNull(ended.State);
            Assert.Equal(WorkflowStatus.Succeeded, ended.State.Status);
            await second.StopAllSilosAsync();
        }

        await using var third = await SqliteCluster.StartAsync(_dataDirectory, _time);
        var view = (await third.Client.GetGrain<IWorkflowGrain>(runId).GetAsync())!;
        Assert.Equal(WorkflowStatus.Succeeded, view.Status);
        Assert.Equal([("quick", TaskRunStatus.Succeeded, 1), ("slow", TaskRunStatus.Succeeded, 2)], view.Tasks.Select(t => (t.Id, t.Status, t.Attempts)));
        Assert.NotNull(view.CompletedAt);
        Assert.Equal(_time.GetUtcNow() - retry.InitialInterval, view.CreatedAt);
    }

    /// <summary>The run's own record as stored, read past the grain.</summary>
    private static async Task<GrainState<WorkflowGrainState>> RunRecordAsync(InProcessTestCluster cluster, string runId)
    {
        var storage = cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(Names.Storage);
        var record = new GrainState<WorkflowGrainState>(new WorkflowGrainState());
        await storage.ReadStateAsync("workflow", cluster.Client.GetGrain<IWorkflowGrain>(runId).GetGrainId(), record);
        return record;
    }

    [Fact]
    public async Task RunsStartedTogether_AreAllListed_AfterARestart()
    {
        // Their registry adds are group-committed: each start returns only once its id is stored.
        var runIds = Enumerable.Range(0, 40).Select(i => $"listed-{i:00}").ToArray();
        var plan = new WorkflowPlan { Name = "listed", Tasks = [new TaskSpec { Id = "only", Agent = AgentKinds.Noop }] };

        await using (var first = await SqliteCluster.StartAsync(_dataDirectory, _time))
        {
            await Task.WhenAll(runIds.Select(id => first.Client.GetGrain<IWorkflowGrain>(id).StartAsync(plan)));
            await first.StopAllSilosAsync();
        }

        await using var second = await SqliteCluster.StartAsync(_dataDirectory, _time);
        var listed = await second.Client.GetGrain<IWorkflowRegistryGrain>(IWorkflowRegistryGrain.Key).ListAsync();
        Assert.Equal(runIds, listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RetryScheduledBeforeRestart_StillHappensAfterIt()
    {
        const string runId = "durable-retry";
        var retry = new RetryPolicy { MaxAttempts = 3, InitialInterval = TimeSpan.FromMinutes(1), MaxInterval = TimeSpan.FromMinutes(5) };
        var plan = new WorkflowPlan
        {
            Name = "retry-restart",
            Tasks = [new TaskSpec { Id = "flaky", Agent = AgentKinds.Simulated, Retry = retry, Input = new() { ["failAttempts"] = "1", ["run"] = runId } }],
        };

        await using (var first = await SqliteCluster.StartAsync(_dataDirectory, _time))
        {
            await using var probe = await WorkflowEventProbe.SubscribeAsync(first.Client, runId);
            await first.Client.GetGrain<IWorkflowGrain>(runId).StartAsync(plan);
            await probe.WaitForAsync(e => e.Kind == "retry-scheduled" && e.TaskId == "flaky", "the retry of attempt 1");
            await first.StopAllSilosAsync();
        }

        await using var second = await SqliteCluster.StartAsync(_dataDirectory, _time);
        await using var probe2 = await WorkflowEventProbe.SubscribeAsync(second.Client, runId);
        var workflow = second.Client.GetGrain<IWorkflowGrain>(runId);
        var before = (await workflow.GetAsync())!.Tasks.Single();
        Assert.Equal((TaskRunStatus.RetryWaiting, 1), (before.Status, before.Attempts));
        _time.Advance(retry.InitialInterval);
        var completed = await probe2.CompletedAsync();

        Assert.Equal(WorkflowStatus.Succeeded, completed.Status);
        var after = (await workflow.GetAsync())!.Tasks.Single();
        Assert.Equal((TaskRunStatus.Succeeded, 2), (after.Status, after.Attempts));
    }

    [Fact]
    public async Task RunRetriedFromTheDeadLetterQueue_ComesBackAfterARestart()
    {
        const string runId = "durable-dlq-retry";
        var retry = new RetryPolicy { MaxAttempts = 2, InitialInterval = TimeSpan.FromSeconds(10), MaxInterval = TimeSpan.FromMinutes(1) };
        // Attempts 1-3 fail: 1 and 2 dead-letter it (the run ends), 3 (after the DLQ retry) waits to retry, 4 succeeds.
        var plan = new WorkflowPlan
        {
            Name = "dlq-restart",
            Tasks = [new TaskSpec { Id = "x", Agent = AgentKinds.Simulated, Retry = retry, Input = new() { ["failAttempts"] = "3", ["run"] = runId } }],
        };

        await using (var first = await SqliteCluster.StartAsync(_dataDirectory, _time))
        {
            var workflow = first.Client.GetGrain<IWorkflowGrain>(runId);
            await using var probe = await WorkflowEventProbe.SubscribeAsync(first.Client, runId);
            await workflow.StartAsync(plan);
            await probe.WaitForAsync(e => e.Kind == "retry-scheduled", "the retry of attempt 1");
            _time.Advance(retry.InitialInterval);
            Assert.Equal(WorkflowStatus.Failed, (await probe.CompletedAsync()).Status);

            await workflow.RetryTaskAsync("x");
            var waiting = await Poll.UntilAsync(async () => (await workflow.GetAsync())!.Tasks.Single(), t => t.Attempts == 3 && t.Status != TaskRunStatus.Running, "attempt 3");
            Assert.Equal(TaskRunStatus.RetryWaiting, waiting.Status);
            await first.StopAllSilosAsync();
        }

        _time.Advance(retry.InitialInterval * 2);
        await using var second = await SqliteCluster.StartAsync(_dataDirectory, _time);
        var again = second.Client.GetGrain<IWorkflowGrain>(runId);
        await second.WaitUntilWokenAsync(again, "the retried run");
        var done = await Poll.UntilAsync(async () => (await again.GetAsync())!, v => v.Status != WorkflowStatus.Running, "the end of the retried run");
        Assert.Equal(WorkflowStatus.Succeeded, done.Status);
        Assert.Equal((TaskRunStatus.Succeeded, 4), (done.Tasks.Single().Status, done.Tasks.Single().Attempts));
    }

    [Fact]
    public async Task AgentKindTotals_SurviveARestart()
    {
        const string runId = "durable-totals";
        var plan = new WorkflowPlan
        {
            Name = "totals",
            Tasks =
            [
                .. Enumerable.Range(0, 3).Select(i => new TaskSpec { Id = $"ok{i}", Agent = AgentKinds.Simulated, Input = new() { ["n"] = $"{i}" } }),
                new TaskSpec { Id = "bad", Agent = AgentKinds.Simulated, Retry = new RetryPolicy { MaxAttempts = 1 }, Input = new() { ["failAttempts"] = "1" } },
            ],
        };

        await using (var first = await SqliteCluster.StartAsync(_dataDirectory, _time))
        {
            await using var probe = await WorkflowEventProbe.SubscribeAsync(first.Client, runId);
            await first.Client.GetGrain<IWorkflowGrain>(runId).StartAsync(plan);
            await probe.CompletedAsync();
            await first.StopAllSilosAsync(); // the pool deactivates and writes what it counted
        }

        await using var second = await SqliteCluster.StartAsync(_dataDirectory, _time);
        var pool = await second.Client.GetGrain<IAgentPoolGrain>(AgentKinds.Simulated).GetAsync();

        Assert.Equal((3, 1), (pool.Succeeded, pool.Failed));
        Assert.True(pool.Use.Wall > TimeSpan.Zero);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleaning.
        }
    }
}
