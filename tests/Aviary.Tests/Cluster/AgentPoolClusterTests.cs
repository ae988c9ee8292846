using Aviary.Harness;
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

    /// <summary>Moves the fake clock by <paramref name="step"/> at every look until <paramref name="done"/>: for what happens only once enough clock time has passed.</summary>
    private Task AdvanceClockUntilAsync(TimeSpan step, Func<bool> done, string what, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() =>
        {
            fixture.Time.Advance(step);
            return Task.FromResult(done());
        }, what, timeout);

    /// <summary>Ten slow high-priority tasks take all ten workers; one low-priority task waits in the queue behind them.</summary>
    private static WorkflowPlan BusyPool(string runId, TimeSpan waiterTimeout) => new()
    {
        Name = "busy",
        Tasks =
        [
            .. Enumerable.Range(0, 10).Select(i => new TaskSpec
            {
                Id = $"blocker{i}", Agent = AgentKinds.Simulated, Priority = TaskPriority.High, Timeout = TimeSpan.FromMinutes(5),
                Input = new() { ["delayMs"] = "3000", ["i"] = $"{runId}-{i}" },
            }),
            new TaskSpec { Id = "waiter", Agent = AgentKinds.Simulated, Priority = TaskPriority.Low, Timeout = waiterTimeout, Input = new() { ["i"] = $"{runId}-waiter" } },
        ],
    };

    [Fact]
    public async Task TimeWaitingInThePoolsQueue_DoesNotCountAgainstTheTimeout()
    {
        var runId = $"queued-{Guid.NewGuid():N}";
        await using var run = await WorkflowEventProbe.SubscribeAsync(fixture.Client, runId);
        var workflow = fixture.Client.GetGrain<IWorkflowGrain>(runId);
        await workflow.StartAsync(BusyPool(runId, TimeSpan.FromSeconds(5)));

        // The waiter is dispatched (its timeout would count from now) but sits in the pool's queue.
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        var completed = await run.CompletedAsync();

        Assert.Equal(WorkflowStatus.Succeeded, completed.Status);
        var waiter = (await workflow.GetAsync())!.Tasks.Single(t => t.Id == "waiter");
        Assert.Equal((TaskRunStatus.Succeeded, 1), (waiter.Status, waiter.Attempts));
        Assert.DoesNotContain(run.Events, e => e.Kind == "failed");
    }

    [Fact]
    public async Task CancelledRun_LeavesNothingInThePoolsQueue()
    {
        var runId = $"forget-{Guid.NewGuid():N}";
        var workflow = fixture.Client.GetGrain<IWorkflowGrain>(runId);
        await workflow.StartAsync(BusyPool(runId, TimeSpan.FromMinutes(1)));
        var pool = fixture.Client.GetGrain<IAgentPoolGrain>(AgentKinds.Simulated);
        Assert.Equal(HeldWorkState.Queued, (await pool.HoldsAsync(runId, [new AttemptRef("waiter", 1)])).Single().State);

        var cancelled = await workflow.CancelAsync();

        Assert.Equal(WorkflowStatus.Cancelled, cancelled.Status);
        Assert.Equal(HeldWorkState.NotHeld, (await pool.HoldsAsync(runId, [new AttemptRef("waiter", 1)])).Single().State);
        Assert.Equal(0, (await pool.GetAsync()).Queued);
    }

    [Fact]
    public async Task FailingKind_OpensItsBreaker_WorkWaitsInTheQueue_ThenAProbeClosesIt()
    {
        // source-file fails on a file that is not there: five in a row open the breaker.
        await using var pool = await PoolProbe.SubscribeAsync(fixture.Client, AgentKinds.SourceFile);
        var tag = Guid.NewGuid().ToString("N");
        var failing = new WorkflowPlan
        {
            Name = "missing",
            Tasks = [.. Enumerable.Range(0, 5).Select(i => new TaskSpec { Id = $"m{i}", Agent = AgentKinds.SourceFile, Retry = new RetryPolicy { MaxAttempts = 1 }, Input = new() { ["path"] = $"missing-{tag}-{i}.py" } })],
        };
        var failRun = $"breaker-fail-{tag}";
        await using (var events = await WorkflowEventProbe.SubscribeAsync(fixture.Client, failRun))
        {
            await fixture.Client.GetGrain<IWorkflowGrain>(failRun).StartAsync(failing);
            Assert.Equal(WorkflowStatus.Failed, (await events.CompletedAsync()).Status);
        }
        await pool.WaitForAsync(e => e.Kind == "breaker-open", 1, "the breaker opened");

        File.WriteAllText(Path.Combine(fixture.Files.InputRoot, $"present-{tag}.py"), "print(1)\n");
        var waitRun = $"breaker-wait-{tag}";
        await using var waitEvents = await WorkflowEventProbe.SubscribeAsync(fixture.Client, waitRun);
        var workflow = fixture.Client.GetGrain<IWorkflowGrain>(waitRun);
        await workflow.StartAsync(new WorkflowPlan
        {
            Name = "present",
            Tasks = [new TaskSpec { Id = "read", Agent = AgentKinds.SourceFile, Timeout = TimeSpan.FromSeconds(5), Input = new() { ["path"] = $"present-{tag}.py" } }],
        });
        // While open, the task waits in the pool's queue: it neither runs nor fails.
        Assert.Equal(HeldWorkState.Queued, (await fixture.Client.GetGrain<IAgentPoolGrain>(AgentKinds.SourceFile).HoldsAsync(waitRun, [new AttemptRef("read", 1)])).Single().State);

        fixture.Time.Advance(TimeSpan.FromSeconds(30)); // the breaker's recovery time (and well past the task's timeout)
        Assert.Equal(WorkflowStatus.Succeeded, (await waitEvents.CompletedAsync()).Status);

        var read = (await workflow.GetAsync())!.Tasks.Single();
        Assert.Equal((TaskRunStatus.Succeeded, 1), (read.Status, read.Attempts));
        await pool.WaitForAsync(e => e.Kind == "breaker-closed", 1, "the breaker closed");
        Assert.Equal(["breaker-open", "breaker-half-open", "breaker-closed"], pool.Events.Select(e => e.Kind).Where(k => k.StartsWith("breaker")));
        Assert.Equal(BreakerState.Closed, (await fixture.Client.GetGrain<IAgentPoolGrain>(AgentKinds.SourceFile).GetAsync()).Breaker);
    }

    [Fact]
    public async Task InvalidInput_IsAttemptedOnceWhateverTheRetries_AndLeavesTheBreakerClosed()
    {
        // Explorer tasks without input.data fail as InvalidInput: twelve of them, well past the five
        // failures in a row that open a kind's breaker, each allowed three attempts.
        await using var events = await PoolProbe.SubscribeAsync(fixture.Client, AgentKinds.Explorer);
        var runId = $"invalid-{Guid.NewGuid():N}";
        var retry = new RetryPolicy { MaxAttempts = 3, InitialInterval = TimeSpan.FromSeconds(1) };
        await using var run = await WorkflowEventProbe.SubscribeAsync(fixture.Client, runId);
        var workflow = fixture.Client.GetGrain<IWorkflowGrain>(runId);

        await workflow.StartAsync(new WorkflowPlan
        {
            Name = "invalid",
            Tasks = [.. Enumerable.Range(0, 12).Select(i => new TaskSpec { Id = $"t{i}", Agent = AgentKinds.Explorer, Retry = retry, Input = new() { ["i"] = $"{runId}-{i}" } })],
        });
        var completed = await run.CompletedAsync();

        Assert.Equal(WorkflowStatus.Failed, completed.Status);
        Assert.All((await workflow.GetAsync())!.Tasks, t => Assert.Equal((TaskRunStatus.DeadLettered, 1, ErrorKinds.InvalidInput), (t.Status, t.Attempts, t.ErrorKind)));
        Assert.DoesNotContain(run.Events, e => e.Kind == "retry-scheduled");
        var letters = (await fixture.Client.GetGrain<IDeadLetterGrain>(IDeadLetterGrain.Key).ListAsync()).Where(e => e.RunId == runId).ToArray();
        Assert.Equal(12, letters.Length);
        Assert.All(letters, e => Assert.Equal((ErrorKinds.InvalidInput, 1, "input.data is required (a data-loader result, e.g. ${tasks.load.result})"), (e.ErrorKind, e.Attempts, e.Error)));
        Assert.Equal(BreakerState.Closed, (await fixture.Client.GetGrain<IAgentPoolGrain>(AgentKinds.Explorer).GetAsync()).Breaker);
        Assert.DoesNotContain(events.Events, e => e.Kind.StartsWith("breaker"));
    }

    [Fact]
    public async Task AttemptNoPoolHolds_TimesOutAfterAGrace_AndIsRetried()
    {
        var runId = $"lost-{Guid.NewGuid():N}";
        await using var run = await WorkflowEventProbe.SubscribeAsync(fixture.Client, runId);
        var workflow = fixture.Client.GetGrain<IWorkflowGrain>(runId);
        await workflow.StartAsync(BusyPool(runId, TimeSpan.FromSeconds(5)));
        // The pool loses the waiting attempt, as a pool on a silo that died would.
        await fixture.Client.GetGrain<IAgentPoolGrain>(AgentKinds.Simulated).ForgetAsync(runId);

        // The clock moves a second per look until the run gives up on the lost attempt: past its
        // timeout, then past the grace its answer had to arrive in. Then once more, past the
        // retry's backoff, and not again: the retry runs on real time.
        await AdvanceClockUntilAsync(TimeSpan.FromSeconds(1), () => run.Events.Any(e => e.Kind == "retry-scheduled" && e.TaskId == "waiter"), "the lost attempt timed out");
        fixture.Time.Advance(TimeSpan.FromSeconds(5));
        var waiter = await Poll.UntilAsync(async () => (await workflow.GetAsync())!.Tasks.Single(t => t.Id == "waiter"), t => t.Status == TaskRunStatus.Succeeded, "the waiter's retry");

        Assert.Equal(2, waiter.Attempts);
        Assert.Contains(run.Events, e => e.Kind == "failed" && e.TaskId == "waiter" && e.Message.StartsWith("Timeout:"));
    }

    [Fact]
    public async Task AttemptRunningPastItsLatestEnd_IsGivenUpOn_AndRetried()
    {
        // Attempt 1 sleeps 10 s of real time while the clock runs past its 1-minute timeout: as an
        // agent that ignores its cancellation would, it keeps its worker, and the run moves on.
        var runId = $"stuck-{Guid.NewGuid():N}";
        await using var run = await WorkflowEventProbe.SubscribeAsync(fixture.Client, runId);
        var workflow = fixture.Client.GetGrain<IWorkflowGrain>(runId);
        await workflow.StartAsync(new WorkflowPlan
        {
            Name = "stuck",
            Tasks = [new TaskSpec { Id = "hang", Agent = AgentKinds.Simulated, Timeout = TimeSpan.FromMinutes(1), Input = new() { ["delayMs"] = "10000", ["delayAttempts"] = "1", ["run"] = runId } }],
        });
        var pool = fixture.Client.GetGrain<IAgentPoolGrain>(AgentKinds.Simulated);
        await Poll.UntilAsync(async () => (await pool.HoldsAsync(runId, [new AttemptRef("hang", 1)])).Single().State == HeldWorkState.Running, "attempt 1 running");

        // Ten seconds of clock per look until the run gives up on attempt 1; then once more past the
        // retry's backoff, and not again: attempt 2 runs on real time.
        await AdvanceClockUntilAsync(TimeSpan.FromSeconds(10), () => run.Events.Any(e => e.Kind == "retry-scheduled" && e.TaskId == "hang"), "attempt 1 given up on", TimeSpan.FromSeconds(8));
        fixture.Time.Advance(TimeSpan.FromSeconds(5));
        var completed = await run.CompletedAsync();

        Assert.Equal(WorkflowStatus.Succeeded, completed.Status);
        Assert.Contains(run.Events, e => e.Kind == "failed" && e.TaskId == "hang" && e.Message.StartsWith("Timeout:"));
        Assert.Equal(2, (await workflow.GetAsync())!.Tasks.Single().Attempts);
    }

    [Fact]
    public async Task HalfOpenProbeStuckInItsAgent_CountsAsFailed_AndANewProbeClosesTheBreaker()
    {
        // The pool is shared with the other tests of the collection: an attempt of an earlier one
        // still sleeping in its agent (they ignore cancellation) would succeed in the middle of the
        // five failures below and reset their count. Start on an idle pool.
        var pool = fixture.Client.GetGrain<IAgentPoolGrain>(AgentKinds.Simulated);
        await Poll.UntilAsync(() => pool.GetAsync(), view => view is { Busy: 0, Queued: 0 }, "the simulated pool idle");
        await using var events = await PoolProbe.SubscribeAsync(fixture.Client, AgentKinds.Simulated);
        var tag = Guid.NewGuid().ToString("N");
        var failRun = $"probe-fail-{tag}";
        await using (var failed = await WorkflowEventProbe.SubscribeAsync(fixture.Client, failRun))
        {
            await fixture.Client.GetGrain<IWorkflowGrain>(failRun).StartAsync(new WorkflowPlan
            {
                Name = "fail",
                Tasks = [.. Enumerable.Range(0, 5).Select(i => new TaskSpec { Id = $"f{i}", Agent = AgentKinds.Simulated, Retry = new RetryPolicy { MaxAttempts = 1 }, Input = new() { ["failAttempts"] = "always", ["i"] = $"{tag}-{i}" } })],
            });
            await failed.CompletedAsync();
        }
        await events.WaitForAsync(e => e.Kind == "breaker-open", 1, "the breaker opened");

        // The probe (high priority) sleeps 10 s of real time on its first attempt, past its 1-minute
        // timeout on the clock: an agent that ignores its cancellation.
        var runId = $"probe-stuck-{tag}";
        await fixture.Client.GetGrain<IWorkflowGrain>(runId).StartAsync(new WorkflowPlan
        {
            Name = "stuck-probe",
            Tasks =
            [
                new TaskSpec { Id = "probe", Agent = AgentKinds.Simulated, Priority = TaskPriority.High, Timeout = TimeSpan.FromMinutes(1), Input = new() { ["delayMs"] = "10000", ["delayAttempts"] = "1", ["i"] = tag } },
                new TaskSpec { Id = "next", Agent = AgentKinds.Simulated, Priority = TaskPriority.Low, Timeout = TimeSpan.FromMinutes(10), Input = new() { ["i"] = tag } },
            ],
        });
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        await Poll.UntilAsync(async () => (await pool.HoldsAsync(runId, [new AttemptRef("probe", 1)])).Single().State == HeldWorkState.Running, "the probe running");

        await AdvanceClockUntilAsync(TimeSpan.FromSeconds(5), () => events.Events.Count(e => e.Kind == "breaker-open") == 2, "the stuck probe counted as failed", TimeSpan.FromSeconds(8));
        await AdvanceClockUntilAsync(TimeSpan.FromSeconds(5), () => events.Events.Any(e => e.Kind == "breaker-closed"), "a new probe closed the breaker");

        Assert.Equal(["breaker-open", "breaker-half-open", "breaker-open", "breaker-half-open", "breaker-closed"],
            events.Events.Select(e => e.Kind).Where(k => k.StartsWith("breaker")));
        Assert.Equal(BreakerState.Closed, (await pool.GetAsync()).Breaker);
    }
}
