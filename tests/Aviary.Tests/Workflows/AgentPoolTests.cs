using Aviary.Grains.Agents;
using Aviary.Workflows;
using Microsoft.Extensions.Time.Testing;

namespace Aviary.Tests.Workflows;

/// <summary>The pool's decisions without Orleans: the clock is moved by hand, workers are played by the test.</summary>
public sealed class AgentPoolTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly List<BreakerState> _breaker = [];

    private DateTimeOffset Now => _time.GetUtcNow();

    private AgentPool Pool(int minWorkers = 1, int maxWorkers = 10) => new(new AgentPoolOptions
    {
        MinWorkers = minWorkers,
        MaxWorkers = maxWorkers,
        Breaker = new CircuitBreakerOptions { ConsecutiveFailures = 3, RecoveryTimeout = TimeSpan.FromSeconds(30) },
    }, _breaker.Add);

    private static WorkItem Item(string taskId, TaskPriority priority = TaskPriority.Normal, TimeSpan? timeout = null, string runId = "run", int attempt = 1) => new()
    {
        RunId = runId,
        TaskId = taskId,
        Attempt = attempt,
        Agent = AgentKinds.Simulated,
        Priority = priority,
        Timeout = timeout ?? TimeSpan.FromMinutes(1),
    };

    private static CompletedWork Done(WorkItem item, bool succeeded, string? errorKind = "Boom", string? cacheKey = null) =>
        new(item, new TaskOutcome { TaskId = item.TaskId, Attempt = item.Attempt, Succeeded = succeeded, ErrorKind = succeeded ? null : errorKind, ResultRef = succeeded ? $"result/{item.TaskId}" : null }, cacheKey);

    /// <summary>Scales and starts as the grain does after every change.</summary>
    private List<AgentBatch> Settle(AgentPool pool)
    {
        pool.Scale();
        return pool.Start(Now);
    }

    /// <summary>A worker takes its batch and begins attempt <paramref name="index"/> now.</summary>
    private CancellationToken Begin(AgentBatch batch, int index = 0)
    {
        Assert.True(batch.TryBegin(index, Now, out var cancellation));
        return cancellation;
    }

    [Fact]
    public void Start_HighPriorityFirst_TheQueueSharedOutAmongTheWorkers()
    {
        var pool = Pool(maxWorkers: 2);
        foreach (var item in new[] { Item("low", TaskPriority.Low), Item("n1"), Item("high", TaskPriority.High), Item("n2") })
            Assert.Null(pool.Enqueue(item, null));

        var batches = Settle(pool);

        // Four queued for two workers: two for the first; then two left for two workers, one for the second.
        Assert.Equal(2, pool.Workers);
        Assert.Equal([["high", "n1"], ["n2"]], batches.Select(b => b.Items.Select(q => q.Item.TaskId).ToArray()));
        Assert.Equal((2, 1), (pool.Busy, pool.Queued));
    }

    [Fact]
    public void Scale_FollowsDemandUpAtOnce_AndComesDownOnlyWhenTheQueueIsEmpty()
    {
        var pool = Pool(minWorkers: 2, maxWorkers: 4);
        for (var i = 0; i < 6; i++)
            pool.Enqueue(Item($"t{i}"), null);

        Assert.Equal((2, 4), pool.Scale());
        var batches = pool.Start(Now);
        Assert.Equal((4, 2), (batches.Count, pool.Queued));
        foreach (var batch in batches)
            pool.Complete(batch.Id, [.. batch.Items.Select(q => Done(q.Item, true))], Now);
        Assert.Null(pool.Scale()); // two still queued: the workers stay
        Assert.Equal(2, pool.Start(Now).Count);

        Assert.Equal((4, 2), pool.Scale());
    }

    [Fact]
    public void TimeInTheQueue_DoesNotCount_TheDeadlineStartsWhenAWorkerBegins()
    {
        var pool = Pool(maxWorkers: 1);
        pool.Enqueue(Item("first", timeout: TimeSpan.FromSeconds(10)), null);
        var first = Settle(pool).Single();
        pool.Enqueue(Item("waiting", timeout: TimeSpan.FromSeconds(10)), null);
        Assert.Empty(Settle(pool)); // the one worker is busy
        _time.Advance(TimeSpan.FromMinutes(5)); // its worker thread has not begun it yet, and "waiting" waits
        Assert.Empty(pool.TimeOut(Now));

        Begin(first);
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(pool.TimeOut(Now));
        pool.Complete(first.Id, [Done(first.Items[0].Item, true)], Now);
        var next = Settle(pool).Single();
        Begin(next);
        _time.Advance(TimeSpan.FromSeconds(9));

        Assert.Empty(pool.TimeOut(Now));
        Assert.Equal(Now + TimeSpan.FromSeconds(1), pool.NextWakeAt(Now));
    }

    [Fact]
    public void AttemptPastItsDeadline_IsAnsweredOnceAsATimeout_ItsAgentCancelled_TheRestOfItsBatchTakenBack()
    {
        var pool = Pool(maxWorkers: 1);
        var items = new[] { Item("a", timeout: TimeSpan.FromSeconds(10)), Item("b"), Item("c") };
        foreach (var item in items)
            pool.Enqueue(item, null);
        var batch = Settle(pool).Single();
        Assert.Equal(3, batch.Items.Length);
        var cancellation = Begin(batch);
        Assert.Equal(Now + TimeSpan.FromSeconds(10), pool.NextWakeAt(Now));

        _time.Advance(TimeSpan.FromSeconds(10));
        var answers = pool.TimeOut(Now);

        var answer = Assert.Single(answers);
        Assert.Equal(("a", false, ErrorKinds.Timeout, "ran longer than 10s"), (answer.Outcome.TaskId, answer.Outcome.Succeeded, answer.Outcome.ErrorKind, answer.Outcome.Error));
        Assert.True(cancellation.IsCancellationRequested);
        Assert.False(batch.TryBegin(1, Now, out _)); // "b" and "c" went back to the queue
        Assert.Equal((1, 2), (pool.Busy, pool.Queued));
        Assert.Equal([HeldWork.NotHeld, HeldWork.Queued, HeldWork.Queued], pool.Holds("run", [new("a", 1), new("b", 1), new("c", 1)]));
        Assert.Empty(pool.TimeOut(Now)); // not answered twice

        // The agent ignored its cancellation and answers much later: nothing more is answered, and its worker is free.
        _time.Advance(TimeSpan.FromMinutes(10));
        batch.End();
        Assert.Empty(pool.Complete(batch.Id, [Done(items[0], true)], Now));
        Assert.Equal(0, pool.Busy);
        Assert.Equal(["b", "c"], Settle(pool).Single().Items.Select(q => q.Item.TaskId));
    }

    [Fact]
    public void Holds_SaysWhereEachAttemptIs()
    {
        var pool = Pool(maxWorkers: 1);
        pool.Enqueue(Item("running"), null);
        var since = Now;
        Settle(pool);
        pool.Enqueue(Item("queued"), null);
        pool.Enqueue(Item("other-run", runId: "other"), null);
        Settle(pool);
        _time.Advance(TimeSpan.FromSeconds(3));

        var held = pool.Holds("run", [new("running", 1), new("queued", 1), new("running", 2), new("unknown", 1)]);

        Assert.Equal([HeldWork.Running(since), HeldWork.Queued, HeldWork.NotHeld, HeldWork.NotHeld], held);
    }

    [Fact]
    public void Forget_DropsOnlyThatRunsQueuedWork()
    {
        var pool = Pool(maxWorkers: 1);
        pool.Enqueue(Item("running"), null);
        Settle(pool);
        pool.Enqueue(Item("a"), null);
        pool.Enqueue(Item("b", runId: "other"), null);

        pool.Forget("run");

        Assert.Equal(1, pool.Queued);
        Assert.Equal([HeldWork.Queued], pool.Holds("other", [new("b", 1)]));
        Assert.Equal(HeldWorkState.Running, pool.Holds("run", [new("running", 1)]).Single().State);
    }

    [Fact]
    public void SucceededWork_IsServedFromTheCache_FailedWorkIsNot()
    {
        var pool = Pool(maxWorkers: 1);
        pool.Enqueue(Item("a"), "key-a");
        pool.Enqueue(Item("b"), "key-b");
        var batch = Settle(pool).Single();
        pool.Complete(batch.Id, [Done(batch.Items[0].Item, true, cacheKey: "key-a"), Done(batch.Items[1].Item, false)], Now);

        var cached = pool.Enqueue(Item("a2", runId: "run-2"), "key-a");

        Assert.Equal((true, true, "result/a", "a2"), (cached!.Succeeded, cached.FromCache, cached.ResultRef, cached.TaskId));
        Assert.Null(pool.Enqueue(Item("b2", runId: "run-2"), "key-b"));
    }

    [Fact]
    public void FailuresOfTheKind_OpenTheBreaker_WorkWaitsUntilOneProbeClosesIt()
    {
        var pool = Pool();
        OpenBreaker(pool);
        pool.Enqueue(Item("next"), null);
        pool.Enqueue(Item("after"), null);

        Assert.Empty(Settle(pool));
        Assert.Equal(Now + TimeSpan.FromSeconds(30), pool.NextWakeAt(Now));
        _time.Advance(TimeSpan.FromSeconds(30));
        var probe = Settle(pool).Single();

        Assert.Equal((BreakerState.HalfOpen, 1, 1), (pool.Breaker, probe.Items.Length, pool.Queued));
        Assert.Empty(Settle(pool)); // one probe at a time
        Begin(probe);
        probe.End();
        pool.Complete(probe.Id, [Done(probe.Items[0].Item, true)], Now);
        Assert.Equal([BreakerState.Open, BreakerState.HalfOpen, BreakerState.Closed], _breaker);
        Assert.Single(Settle(pool));
    }

    [Fact]
    public void HalfOpenProbe_PastItsDeadline_CountsAsFailed_AndTheNextProbeMayCloseTheBreaker()
    {
        var pool = Pool();
        OpenBreaker(pool);
        pool.Enqueue(Item("probe", TaskPriority.High, TimeSpan.FromMinutes(1)), null);
        pool.Enqueue(Item("next"), null);
        _time.Advance(TimeSpan.FromSeconds(30));
        var probe = Settle(pool).Single();
        Begin(probe); // and its agent never returns

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ErrorKinds.Timeout, pool.TimeOut(Now).Single().Outcome.ErrorKind);

        Assert.Equal(BreakerState.Open, pool.Breaker);
        _time.Advance(TimeSpan.FromSeconds(30));
        var next = Settle(pool).Single();
        Assert.Equal("next", next.Items.Single().Item.TaskId); // the stuck probe still holds its worker; another takes this one
        pool.Complete(next.Id, [Done(next.Items[0].Item, true)], Now);
        Assert.Equal([BreakerState.Open, BreakerState.HalfOpen, BreakerState.Open, BreakerState.HalfOpen, BreakerState.Closed], _breaker);
    }

    [Fact]
    public void ManyInvalidInputFailures_LeaveTheBreakerClosed()
    {
        var pool = Pool(maxWorkers: 1);
        for (var i = 0; i < 50; i++)
            pool.Enqueue(Item($"t{i}"), null);
        var batch = Settle(pool).Single();

        var answers = pool.Complete(batch.Id, [.. batch.Items.Select(q => Done(q.Item, false, ErrorKinds.InvalidInput))], Now);

        Assert.Equal(50, answers.Count);
        Assert.Equal(BreakerState.Closed, pool.Breaker);
        Assert.Empty(_breaker);
    }

    [Fact]
    public void BatchOfAnEarlierActivation_IsAnsweredInFull()
    {
        var pool = Pool();
        var item = Item("a");

        var answers = pool.Complete(Guid.NewGuid(), [Done(item, true)], Now);

        Assert.Equal([item], answers.Select(a => a.Item));
        Assert.Equal(0, pool.Busy);
    }

    /// <summary>Three failures in a row (the options' threshold) open the breaker.</summary>
    private void OpenBreaker(AgentPool pool)
    {
        for (var i = 0; i < 3; i++)
            pool.Enqueue(Item($"failing{i}"), null);
        foreach (var batch in Settle(pool))
            pool.Complete(batch.Id, [.. batch.Items.Select(q => Done(q.Item, false))], Now);
        Assert.Equal(BreakerState.Open, pool.Breaker);
    }
}
