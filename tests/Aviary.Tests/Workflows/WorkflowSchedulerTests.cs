using Aviary.Errors;
using Aviary.Grains.Workflows;
using Aviary.Workflows;
using Microsoft.Extensions.Time.Testing;

namespace Aviary.Tests.Workflows;

public sealed class WorkflowSchedulerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly List<SchedulerEvent> _events = [];

    private static TaskSpec Task(string id, string[]? deps = null, TaskPriority priority = TaskPriority.Normal, RetryPolicy? retry = null, TimeSpan? timeout = null) => new()
    {
        Id = id,
        Agent = AgentKinds.Noop,
        DependsOn = deps ?? [],
        Priority = priority,
        Retry = retry ?? new RetryPolicy { MaxAttempts = 3, InitialInterval = TimeSpan.FromSeconds(1), BackoffCoefficient = 2, MaxInterval = TimeSpan.FromSeconds(3) },
        Timeout = timeout ?? TimeSpan.FromMinutes(1),
    };

    private WorkflowScheduler Start(params TaskSpec[] tasks)
    {
        var plan = PlanValidator.Validate(new WorkflowPlan { Name = "t", Tasks = tasks });
        return new WorkflowScheduler(plan, null, WorkflowStatus.Running, _time.GetUtcNow(), out _);
    }

    private string[] Take(WorkflowScheduler s, int max = 100) =>
        s.TakeDispatchable(_time.GetUtcNow(), max, _events).Select(t => t.Id).ToArray();

    private void Ok(WorkflowScheduler s, string id) =>
        s.Succeed(id, s.Task(id).Attempts, $"result/{id}", new ResourceUse { Wall = TimeSpan.FromMilliseconds(5), Cpu = TimeSpan.FromMilliseconds(4), AllocatedBytes = 1_000, PeakHeapBytes = 10_000 }, _time.GetUtcNow(), _events);

    [Fact]
    public void Diamond_RunsRootThenBothBranchesTogetherThenJoin()
    {
        var s = Start(Task("a"), Task("b", ["a"]), Task("c", ["a"]), Task("d", ["b", "c"]));

        Assert.Equal(["a"], Take(s));
        Ok(s, "a");
        Assert.Equal(["b", "c"], Take(s));
        Ok(s, "b");
        Assert.Empty(Take(s));
        Ok(s, "c");
        Assert.Equal(["d"], Take(s));
        Ok(s, "d");

        Assert.Equal(WorkflowStatus.Succeeded, s.Status);
        Assert.Equal(SchedulerEventKind.WorkflowCompleted, _events[^1].Kind);
    }

    [Fact]
    public void ReadyTasks_AreDispatchedHighThenNormalThenLow_ThenPlanOrder()
    {
        var s = Start(Task("low", priority: TaskPriority.Low), Task("n1"), Task("high", priority: TaskPriority.High), Task("n2"));

        Assert.Equal(["high", "n1"], Take(s, 2));
        Assert.Equal(["n2", "low"], Take(s, 2));
    }

    [Fact]
    public void Failure_IsRetriedWithExponentialBackoffCappedAtMaxInterval()
    {
        var s = Start(Task("a", retry: new RetryPolicy { MaxAttempts = 4, InitialInterval = TimeSpan.FromSeconds(1), BackoffCoefficient = 2, MaxInterval = TimeSpan.FromSeconds(3) }));
        var waits = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Equal(["a"], Take(s));
            s.Fail("a", attempt, "Boom", "failed", default, _time.GetUtcNow(), _events);
            var due = s.Task("a").NextAttemptAt!.Value;
            waits.Add(due - _time.GetUtcNow());
            _time.Advance(due - _time.GetUtcNow() - TimeSpan.FromMilliseconds(1));
            Assert.Empty(Take(s)); // not yet due
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)], waits);
        Assert.Equal(["a"], Take(s));
        Ok(s, "a");
        Assert.Equal(WorkflowStatus.Succeeded, s.Status);
        Assert.Equal(4, s.Task("a").Attempts);
    }

    [Fact]
    public void ResourceUse_AddsUpOverAttempts_AndThePeakIsTheLargest()
    {
        var s = Start(Task("a", retry: new RetryPolicy { MaxAttempts = 2, InitialInterval = TimeSpan.FromSeconds(1) }));
        Take(s);
        s.Fail("a", 1, "Boom", "failed", new ResourceUse { Wall = TimeSpan.FromMilliseconds(30), Cpu = TimeSpan.FromMilliseconds(20), AllocatedBytes = 700, PeakHeapBytes = 9_000 }, _time.GetUtcNow(), _events);
        _time.Advance(TimeSpan.FromSeconds(1));
        Take(s);
        s.Succeed("a", 2, "r", new ResourceUse { Wall = TimeSpan.FromMilliseconds(12), Cpu = TimeSpan.FromMilliseconds(10), AllocatedBytes = 300, PeakHeapBytes = 5_000 }, _time.GetUtcNow(), _events);

        Assert.Equal(new ResourceUse { Wall = TimeSpan.FromMilliseconds(42), Cpu = TimeSpan.FromMilliseconds(30), AllocatedBytes = 1_000, PeakHeapBytes = 9_000 }, s.Task("a").Use);
    }

    [Fact]
    public void LastAttemptFails_DeadLettersAndBlocksDependentsTransitively_WorkflowFails()
    {
        var s = Start(Task("a", retry: new RetryPolicy { MaxAttempts = 1 }), Task("b", ["a"]), Task("c", ["b"]), Task("x"));
        Take(s);
        Ok(s, "x");

        s.Fail("a", 1, "Boom", "failed", default, _time.GetUtcNow(), _events);

        Assert.Equal(TaskRunStatus.DeadLettered, s.Task("a").Status);
        Assert.Equal(TaskRunStatus.Blocked, s.Task("b").Status);
        Assert.Equal(TaskRunStatus.Blocked, s.Task("c").Status);
        Assert.Equal(WorkflowStatus.Failed, s.Status);
        Assert.Contains(_events, e => e.Kind == SchedulerEventKind.DeadLettered && e.TaskId == "a");
    }

    [Fact]
    public void NonRetryableError_DeadLettersOnFirstAttempt()
    {
        var s = Start(Task("a", retry: new RetryPolicy { MaxAttempts = 5, NonRetryableErrors = ["InvalidInput"] }));
        Take(s);

        s.Fail("a", 1, "InvalidInput", "bad column", default, _time.GetUtcNow(), _events);

        Assert.Equal(TaskRunStatus.DeadLettered, s.Task("a").Status);
        Assert.Equal(1, s.Task("a").Attempts);
        Assert.Contains(_events, e => e.Message == "InvalidInput is not retryable");
    }

    [Fact]
    public void Requeue_DeadLetteredTask_GetsFreshAttemptsAndUnblocksDependents()
    {
        var s = Start(Task("a", retry: new RetryPolicy { MaxAttempts = 1 }), Task("b", ["a"]));
        Take(s);
        s.Fail("a", 1, "Boom", "failed", default, _time.GetUtcNow(), _events);
        Assert.Equal(WorkflowStatus.Failed, s.Status);

        s.Requeue("a", _time.GetUtcNow(), _events);

        Assert.Equal(WorkflowStatus.Running, s.Status);
        Assert.Equal(TaskRunStatus.Pending, s.Task("b").Status);
        Assert.Equal(["a"], Take(s));
        Ok(s, "a");
        Assert.Equal(["b"], Take(s));
        Ok(s, "b");
        Assert.Equal(WorkflowStatus.Succeeded, s.Status);
        Assert.Equal(2, s.Task("a").Attempts);
    }

    [Fact]
    public void Requeue_BackoffStartsOverWithTheFreshAttempts()
    {
        var retry = new RetryPolicy { MaxAttempts = 2, InitialInterval = TimeSpan.FromSeconds(10), BackoffCoefficient = 2, MaxInterval = TimeSpan.FromMinutes(10) };
        var s = Start(Task("a", retry: retry));
        Take(s);
        s.Fail("a", 1, "Boom", "failed", default, _time.GetUtcNow(), _events);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(10), s.Task("a").NextAttemptAt);
        _time.Advance(TimeSpan.FromSeconds(10));
        Take(s);
        s.Fail("a", 2, "Boom", "failed", default, _time.GetUtcNow(), _events);
        Assert.Equal(TaskRunStatus.DeadLettered, s.Task("a").Status);

        s.Requeue("a", _time.GetUtcNow(), _events);
        Take(s);
        s.Fail("a", 3, "Boom", "failed", default, _time.GetUtcNow(), _events);

        // Attempt 3 is the first of the new set: 10 s, not the 40 s a fourth try of the old one would wait.
        Assert.Equal((TaskRunStatus.RetryWaiting, _time.GetUtcNow() + TimeSpan.FromSeconds(10)), (s.Task("a").Status, s.Task("a").NextAttemptAt));
    }

    [Fact]
    public void Timeout_FailsTheAttemptAndRetries_LateResultIsIgnored()
    {
        var s = Start(Task("a", timeout: TimeSpan.FromSeconds(10)));
        Take(s);

        // The pool answers an attempt past its deadline as a timeout, like any failure.
        _time.Advance(TimeSpan.FromSeconds(10));
        s.Fail("a", 1, ErrorKinds.Timeout, "ran longer than 10s", default, _time.GetUtcNow(), _events);
        Assert.Equal(TaskRunStatus.RetryWaiting, s.Task("a").Status);
        Assert.Equal(ErrorKinds.Timeout, s.Task("a").ErrorKind);

        s.Succeed("a", 1, "late", default, _time.GetUtcNow(), _events); // attempt 1 answers after its timeout
        Assert.Equal(TaskRunStatus.RetryWaiting, s.Task("a").Status);
    }

    [Fact]
    public void RunningAttempt_GivesTheRunNoDeadlineOfItsOwn_OnlyRetriesWakeIt()
    {
        var s = Start(Task("a", timeout: TimeSpan.FromSeconds(10)), Task("b", retry: new RetryPolicy { MaxAttempts = 2, InitialInterval = TimeSpan.FromSeconds(30) }));
        Take(s);
        Assert.True(s.HasRunning);
        Assert.Null(s.NextWakeAt());

        s.Fail("b", 1, "Boom", "failed", default, _time.GetUtcNow(), _events);

        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(30), s.NextWakeAt());
        Assert.Equal([(0, 1)], s.RunningAttempts());
    }

    [Fact]
    public void Lose_FailsTheCurrentAttemptAsATimeout_AStaleOneChangesNothing()
    {
        var s = Start(Task("a"));
        Take(s);

        s.Lose(0, 2, _time.GetUtcNow(), _events); // not the attempt that runs
        Assert.Equal(TaskRunStatus.Running, s.Task("a").Status);
        s.Lose(0, 1, _time.GetUtcNow(), _events);

        Assert.Equal((TaskRunStatus.RetryWaiting, ErrorKinds.Timeout), (s.Task("a").Status, s.Task("a").ErrorKind));
        Assert.StartsWith("attempt 1 is held by no agent pool", s.Task("a").Error);
        Assert.False(s.HasRunning);
    }

    [Theory]
    [InlineData(ErrorKinds.InvalidInput)]
    [InlineData(ErrorKinds.ValidationFailed)]
    [InlineData(nameof(OverflowException))]
    [InlineData(nameof(FormatException))]
    public void DeterministicFailure_DeadLettersOnFirstAttempt_WhateverTheRetryPolicy(string errorKind)
    {
        var s = Start(Task("a", retry: new RetryPolicy { MaxAttempts = 5 }), Task("b", ["a"]));
        Take(s);

        s.Fail("a", 1, errorKind, "column 'price' is missing", default, _time.GetUtcNow(), _events);

        Assert.Equal((TaskRunStatus.DeadLettered, 1, errorKind, "column 'price' is missing"), (s.Task("a").Status, s.Task("a").Attempts, s.Task("a").ErrorKind, s.Task("a").Error));
        Assert.Equal(TaskRunStatus.Blocked, s.Task("b").Status);
        Assert.Contains(_events, e => e.Kind == SchedulerEventKind.DeadLettered && e.Message == $"{errorKind} is not retried: the same input fails the same way");
        Assert.Equal(WorkflowStatus.Failed, s.Status);
    }

    [Fact]
    public void TransientFailure_IsStillRetriedPerPolicy()
    {
        var s = Start(Task("a", retry: new RetryPolicy { MaxAttempts = 5 }));
        Take(s);

        s.Fail("a", 1, "NotFound", "'data.csv' does not exist", default, _time.GetUtcNow(), _events);

        Assert.Equal(TaskRunStatus.RetryWaiting, s.Task("a").Status);
    }

    [Fact]
    public void Cancel_EndsEverythingNotFinished_AndIgnoresLaterResults()
    {
        var s = Start(Task("a"), Task("b", ["a"]), Task("c"));
        Take(s);
        Ok(s, "c");

        s.Cancel(_time.GetUtcNow(), _events);
        s.Succeed("a", 1, "late", default, _time.GetUtcNow(), _events);

        Assert.Equal(WorkflowStatus.Cancelled, s.Status);
        Assert.Equal([TaskRunStatus.Cancelled, TaskRunStatus.Cancelled, TaskRunStatus.Succeeded], s.Tasks.Select(t => t.Status));
        Assert.Empty(Take(s));
        Assert.Throws<AviaryConflictException>(() => s.Cancel(_time.GetUtcNow(), _events));
    }

    [Fact]
    public void Restore_FinishedTasksStayDone_InFlightAttemptIsRetriedPerPolicy()
    {
        var plan = PlanValidator.Validate(new WorkflowPlan { Name = "t", Tasks = [Task("a"), Task("b", ["a"]), Task("c", ["a"])] });
        var s = new WorkflowScheduler(plan, null, WorkflowStatus.Running, _time.GetUtcNow(), out _);
        Take(s);
        Ok(s, "a");
        Take(s); // b and c running

        var restored = new WorkflowScheduler(plan, [.. s.Tasks], s.Status, _time.GetUtcNow(), out var recovered);

        Assert.Equal(TaskRunStatus.Succeeded, restored.Task("a").Status);
        Assert.Equal(TaskRunStatus.RetryWaiting, restored.Task("b").Status);
        Assert.Equal(ErrorKinds.Interrupted, restored.Task("b").ErrorKind);
        Assert.Equal(2, recovered.Count(e => e.Kind == SchedulerEventKind.RetryScheduled));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["b", "c"], restored.TakeDispatchable(_time.GetUtcNow(), 10, _events).Select(t => t.Id));
    }

    [Fact]
    public void FanOut10000_CompletesWithLinearWork()
    {
        var tasks = Enumerable.Range(0, 10_000).Select(i => Task($"t{i}")).Append(Task("join", Enumerable.Range(0, 10_000).Select(i => $"t{i}").ToArray())).ToArray();
        var s = Start(tasks);

        var batch = s.TakeDispatchable(_time.GetUtcNow(), int.MaxValue, _events);
        foreach (var t in batch)
            s.Succeed(t.Id, 1, null, default, _time.GetUtcNow(), _events);
        Assert.Equal(["join"], Take(s));
        Ok(s, "join");

        Assert.Equal(10_000, batch.Count);
        Assert.Equal(WorkflowStatus.Succeeded, s.Status);
    }

    // A run's progress is stored in chunks; a crash between two chunk writes of one flush leaves
    // part of the flush stored. These restore such mixes (each built by hand from a real run).

    private static TaskRun With(WorkflowScheduler s, string id, TaskRunStatus status) => s.Task(id) with { Status = status };

    private TaskRun[] Stored(WorkflowScheduler s, params (string Id, TaskRunStatus Status)[] overrides)
    {
        var tasks = s.Tasks.ToArray();
        foreach (var (id, status) in overrides)
            tasks[Array.FindIndex(tasks, t => t.Id == id)] = With(s, id, status);
        return tasks;
    }

    [Fact]
    public void Restore_DependentStoredReadyWhileItsDependencyIsNot_WaitsAgain()
    {
        var plan = PlanValidator.Validate(new WorkflowPlan { Name = "t", Tasks = [Task("a"), Task("b", ["a"])] });
        var s = new WorkflowScheduler(plan, null, WorkflowStatus.Running, _time.GetUtcNow(), out _);
        Take(s);
        Ok(s, "a"); // b is ready: b's chunk was stored, a's (succeeded) was not
        var stored = Stored(s, ("a", TaskRunStatus.Running));

        var restored = new WorkflowScheduler(plan, stored, WorkflowStatus.Running, _time.GetUtcNow(), out _);

        Assert.Equal(TaskRunStatus.Pending, restored.Task("b").Status);
        Assert.Equal(TaskRunStatus.RetryWaiting, restored.Task("a").Status); // interrupted, retried per policy
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["a"], restored.TakeDispatchable(_time.GetUtcNow(), 10, _events).Select(t => t.Id));
    }

    [Fact]
    public void Restore_DeadLetterStoredButNotWhatItBlocks_BlocksItAndEndsTheRun()
    {
        var plan = PlanValidator.Validate(new WorkflowPlan { Name = "t", Tasks = [Task("a", retry: new RetryPolicy { MaxAttempts = 1 }), Task("b", ["a"]), Task("c", ["b"])] });
        var s = new WorkflowScheduler(plan, null, WorkflowStatus.Running, _time.GetUtcNow(), out _);
        Take(s);
        s.Fail("a", 1, "Boom", "no", default, _time.GetUtcNow(), _events); // a dead-lettered; b and c blocked, run failed
        var stored = Stored(s, ("b", TaskRunStatus.Pending), ("c", TaskRunStatus.Pending));

        var restored = new WorkflowScheduler(plan, stored, WorkflowStatus.Running, _time.GetUtcNow(), out var recovered);

        Assert.Equal(TaskRunStatus.Blocked, restored.Task("b").Status);
        Assert.Equal(TaskRunStatus.Blocked, restored.Task("c").Status);
        Assert.Equal(WorkflowStatus.Failed, restored.Status);
        Assert.Equal(SchedulerEventKind.WorkflowCompleted, recovered[^1].Kind);
    }

    [Fact]
    public void Restore_BlockedStoredButNotTheDeadLetter_WaitsAgain()
    {
        // Boom is not retryable: a is dead-lettered at once. Restored as still running, its attempt was interrupted (retryable).
        var plan = PlanValidator.Validate(new WorkflowPlan { Name = "t", Tasks = [Task("a", retry: new RetryPolicy { MaxAttempts = 3, NonRetryableErrors = ["Boom"] }), Task("b", ["a"]), Task("c")] });
        var s = new WorkflowScheduler(plan, null, WorkflowStatus.Running, _time.GetUtcNow(), out _);
        Take(s);
        s.Fail("a", 1, "Boom", "no", default, _time.GetUtcNow(), _events);
        var stored = Stored(s, ("a", TaskRunStatus.Running));

        var restored = new WorkflowScheduler(plan, stored, WorkflowStatus.Running, _time.GetUtcNow(), out _);

        Assert.Equal(TaskRunStatus.Pending, restored.Task("b").Status);
        Assert.Equal(TaskRunStatus.RetryWaiting, restored.Task("a").Status);
        Assert.Equal(WorkflowStatus.Running, restored.Status);
    }

    [Fact]
    public void Restore_EveryTaskStoredDoneButNotTheRun_EndsTheRun()
    {
        var plan = PlanValidator.Validate(new WorkflowPlan { Name = "t", Tasks = [Task("a"), Task("b")] });
        var s = new WorkflowScheduler(plan, null, WorkflowStatus.Running, _time.GetUtcNow(), out _);
        Take(s);
        Ok(s, "a");
        Ok(s, "b");

        var restored = new WorkflowScheduler(plan, [.. s.Tasks], WorkflowStatus.Running, _time.GetUtcNow(), out var recovered);

        Assert.Equal(WorkflowStatus.Succeeded, restored.Status);
        Assert.Equal([SchedulerEventKind.WorkflowCompleted], recovered.Select(e => e.Kind));
    }

    [Fact]
    public void Restore_CancelStoredForSomeTasksButNotForTheRun_DidNotHappen()
    {
        var plan = PlanValidator.Validate(new WorkflowPlan { Name = "t", Tasks = [Task("a"), Task("b", ["a"])] });
        var s = new WorkflowScheduler(plan, null, WorkflowStatus.Running, _time.GetUtcNow(), out _);
        Take(s);
        Ok(s, "a");
        s.Cancel(_time.GetUtcNow(), _events);

        var restored = new WorkflowScheduler(plan, [.. s.Tasks], WorkflowStatus.Running, _time.GetUtcNow(), out _);

        Assert.Equal(TaskRunStatus.Succeeded, restored.Task("a").Status);
        Assert.Equal(["b"], restored.TakeDispatchable(_time.GetUtcNow(), 10, _events).Select(t => t.Id));
    }

    [Fact]
    public void EveryChange_IsReported_ByTaskIndex()
    {
        var changed = new List<int>();
        var plan = PlanValidator.Validate(new WorkflowPlan { Name = "t", Tasks = [Task("a"), Task("b", ["a"])] });
        var s = new WorkflowScheduler(plan, null, WorkflowStatus.Running, _time.GetUtcNow(), out _, changed.Add);
        Assert.Contains(0, changed);
        Assert.Contains(1, changed); // a new run: every task is new

        changed.Clear();
        Take(s);
        Assert.Equal([0], changed);
        changed.Clear();
        Ok(s, "a");
        Assert.Equal([0, 1], changed.Distinct().Order());
    }
}
