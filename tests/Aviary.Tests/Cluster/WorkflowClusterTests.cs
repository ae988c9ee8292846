using Aviary.Errors;
using Aviary.Workflows;

namespace Aviary.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class WorkflowClusterTests(ClusterFixture fixture)
{
    private static readonly RetryPolicy FastRetry = new()
    {
        MaxAttempts = 3,
        InitialInterval = TimeSpan.FromSeconds(10),
        BackoffCoefficient = 2,
        MaxInterval = TimeSpan.FromMinutes(1),
    };

    private static TaskSpec Task(string id, string agent = AgentKinds.Noop, string[]? deps = null, Dictionary<string, string>? input = null, RetryPolicy? retry = null) => new()
    {
        Id = id,
        Agent = agent,
        DependsOn = deps ?? [],
        Input = input ?? new() { ["id"] = id },
        Retry = retry ?? FastRetry,
    };

    private static string NewRunId() => $"run-{Guid.NewGuid():N}";

    [Fact]
    public async Task Diamond_RunsEveryTaskOnceInDependencyOrder()
    {
        var runId = NewRunId();
        await using var probe = await WorkflowEventProbe.SubscribeAsync(fixture.Client, runId);
        var plan = new WorkflowPlan { Name = "diamond", Tasks = [Task("a"), Task("b", deps: ["a"]), Task("c", deps: ["a"]), Task("d", deps: ["b", "c"])] };

        await fixture.Client.GetGrain<IWorkflowGrain>(runId).StartAsync(plan);
        var completed = await probe.CompletedAsync();

        Assert.Equal(WorkflowStatus.Succeeded, completed.Status);
        var started = probe.Events.Where(e => e.Kind == "started").Select(e => e.TaskId).ToList();
        Assert.Equal(4, started.Count);
        Assert.Equal("a", started[0]);
        Assert.Equal("d", started[^1]);
        var view = await fixture.Client.GetGrain<IWorkflowGrain>(runId).GetAsync();
        Assert.All(view!.Tasks, t => Assert.Equal((TaskRunStatus.Succeeded, 1), (t.Status, t.Attempts)));
        var summary = await fixture.Client.GetGrain<IWorkflowGrain>(runId).GetSummaryAsync();
        Assert.Equal(new WorkflowSummary { Status = WorkflowStatus.Succeeded, Tasks = 4, Succeeded = 4 }, summary);
        Assert.Null(await fixture.Client.GetGrain<IWorkflowGrain>(NewRunId()).GetSummaryAsync());
    }

    [Fact]
    public async Task FailingTask_IsRetriedAfterBackoff_ThenSucceeds()
    {
        var runId = NewRunId();
        await using var probe = await WorkflowEventProbe.SubscribeAsync(fixture.Client, runId);
        var plan = new WorkflowPlan { Name = "retry", Tasks = [Task("flaky", AgentKinds.Simulated, input: new() { ["failAttempts"] = "1", ["run"] = runId })] };

        await fixture.Client.GetGrain<IWorkflowGrain>(runId).StartAsync(plan);
        var retry = await probe.WaitForAsync(e => e.Kind == "retry-scheduled", "the retry of 'flaky'");
        Assert.Equal(1, retry.Attempt);
        fixture.Time.Advance(FastRetry.InitialInterval);
        var completed = await probe.CompletedAsync();

        Assert.Equal(WorkflowStatus.Succeeded, completed.Status);
        var flaky = (await fixture.Client.GetGrain<IWorkflowGrain>(runId).GetAsync())!.Tasks.Single();
        Assert.Equal(2, flaky.Attempts);
        Assert.Equal(TaskRunStatus.Succeeded, flaky.Status);
    }

    [Fact]
    public async Task TaskFailingEveryAttempt_IsDeadLettered_BlocksDependents_ThenRetriedFromDlq()
    {
        var runId = NewRunId();
        await using var probe = await WorkflowEventProbe.SubscribeAsync(fixture.Client, runId);
        var once = new RetryPolicy { MaxAttempts = 1, InitialInterval = TimeSpan.FromSeconds(1), MaxInterval = TimeSpan.FromSeconds(1) };
        var plan = new WorkflowPlan
        {
            Name = "dlq",
            Tasks = [Task("bad", AgentKinds.Simulated, input: new() { ["failAttempts"] = "1", ["failKind"] = "Boom", ["run"] = runId }, retry: once), Task("after", deps: ["bad"])],
        };
        var workflow = fixture.Client.GetGrain<IWorkflowGrain>(runId);
        var dlq = fixture.Client.GetGrain<IDeadLetterGrain>(IDeadLetterGrain.Key);

        await workflow.StartAsync(plan);
        var failed = await probe.CompletedAsync();
        Assert.Equal(WorkflowStatus.Failed, failed.Status);
        var entry = await dlq.GetAsync($"{runId}:bad");
        Assert.NotNull(entry);
        Assert.Equal(("Boom", 1, AgentKinds.Simulated), (entry.ErrorKind, entry.Attempts, entry.Agent));
        Assert.Equal(TaskRunStatus.Blocked, (await workflow.GetAsync())!.Tasks[1].Status);

        // From the queue: a fresh set of attempts; attempt 2 is the one the agent lets pass.
        var retried = await workflow.RetryTaskAsync("bad");
        Assert.Equal(WorkflowStatus.Running, retried.Status);
        Assert.True(await dlq.RemoveAsync(entry.Key));
        await probe.WaitForAsync(e => e.Kind == "completed" && e.Status == WorkflowStatus.Succeeded, "completion after the retry from the DLQ");
        var view = (await workflow.GetAsync())!;
        Assert.Equal((TaskRunStatus.Succeeded, 2), (view.Tasks[0].Status, view.Tasks[0].Attempts));
        Assert.Equal(TaskRunStatus.Succeeded, view.Tasks[1].Status);
        Assert.Null(await dlq.GetAsync(entry.Key));
    }

    [Fact]
    public async Task Cycle_IsRejected_AndNothingStarts()
    {
        var runId = NewRunId();
        var plan = new WorkflowPlan { Name = "cycle", Tasks = [Task("a", deps: ["c"]), Task("b", deps: ["a"]), Task("c", deps: ["b"])] };
        var workflow = fixture.Client.GetGrain<IWorkflowGrain>(runId);

        var error = await Assert.ThrowsAsync<AviaryValidationException>(() => workflow.StartAsync(plan));

        Assert.Equal("cycle a -> c -> b -> a", error.Rule);
        Assert.Null(await workflow.GetAsync());
    }

    [Fact]
    public async Task IdenticalWork_IsServedFromTheResultCache()
    {
        var first = NewRunId();
        var second = NewRunId();
        var input = new Dictionary<string, string> { ["same"] = "input" };
        var plan = new WorkflowPlan { Name = "cached", Tasks = [Task("x", AgentKinds.Simulated, input: input)] };
        await using var probe1 = await WorkflowEventProbe.SubscribeAsync(fixture.Client, first);
        await using var probe2 = await WorkflowEventProbe.SubscribeAsync(fixture.Client, second);
        var pool = fixture.Client.GetGrain<IAgentPoolGrain>(AgentKinds.Simulated);

        await fixture.Client.GetGrain<IWorkflowGrain>(first).StartAsync(plan);
        await probe1.CompletedAsync();
        var hitsBefore = (await pool.GetAsync()).CacheHits;
        await fixture.Client.GetGrain<IWorkflowGrain>(second).StartAsync(plan);
        await probe2.CompletedAsync();

        Assert.Equal(hitsBefore + 1, (await pool.GetAsync()).CacheHits);
    }

    [Fact]
    public async Task StartingARunAgain_SamePlanIsAnsweredWithTheRun_AnotherPlanIsRefused()
    {
        var runId = $"again-{Guid.NewGuid():N}";
        var plan = new WorkflowPlan { Name = "again", Tasks = [Task("a", AgentKinds.Simulated, input: new() { ["delayMs"] = "1", ["run"] = runId })] };
        var workflow = fixture.Client.GetGrain<IWorkflowGrain>(runId);
        var first = await workflow.StartAsync(plan);

        var again = await workflow.StartAsync(plan with { Tasks = [Task("a", AgentKinds.Simulated, input: new() { ["delayMs"] = "1", ["run"] = runId })] });
        var other = plan with { Tasks = [Task("a", AgentKinds.Simulated, input: new() { ["delayMs"] = "2", ["run"] = runId })] };
        var error = await Assert.ThrowsAsync<Aviary.Errors.AviaryConflictException>(() => workflow.StartAsync(other));

        Assert.Equal((first.RunId, first.CreatedAt), (again.RunId, again.CreatedAt));
        Assert.Equal("runId", error.Field);
        Assert.Equal($"'{runId}' already runs plan 'again'", error.Rule);
    }

    [Fact]
    public async Task TasksFailingInOneFlush_AreAllDeadLettered()
    {
        // Four explorer tasks without their input fail at once (their input's fault: neither retried
        // nor counted by the explorer's breaker).
        var runId = $"many-dlq-{Guid.NewGuid():N}";
        var plan = new WorkflowPlan
        {
            Name = "many",
            Tasks = [.. Enumerable.Range(0, 4).Select(i => Task($"t{i}", AgentKinds.Explorer, input: new() { ["run"] = runId, ["i"] = $"{i}" }, retry: new RetryPolicy { MaxAttempts = 1 }))],
        };
        await using var probe = await WorkflowEventProbe.SubscribeAsync(fixture.Client, runId);

        await fixture.Client.GetGrain<IWorkflowGrain>(runId).StartAsync(plan);
        Assert.Equal(WorkflowStatus.Failed, (await probe.CompletedAsync()).Status);

        var letters = (await fixture.Client.GetGrain<IDeadLetterGrain>(IDeadLetterGrain.Key).ListAsync()).Where(e => e.RunId == runId).ToArray();
        Assert.Equal(["t0", "t1", "t2", "t3"], letters.Select(e => e.TaskId).Order(StringComparer.Ordinal));
        Assert.All(letters, e => Assert.Equal(("InvalidInput", 1), (e.ErrorKind, e.Attempts)));
    }
}
