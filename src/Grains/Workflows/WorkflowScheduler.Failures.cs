using Aviary.Errors;
using Aviary.Workflows;

namespace Aviary.Grains.Workflows;

public sealed partial class WorkflowScheduler
{
    /// <summary>Attempt <paramref name="attempt"/> failed with an error of <paramref name="errorKind"/>.</summary>
    public void Fail(string taskId, int attempt, string errorKind, string error, ResourceUse use, DateTimeOffset now, List<SchedulerEvent> events)
    {
        var i = IndexOf(taskId);
        if (!IsCurrent(i, attempt))
            return;
        Set(i, _tasks[i] with { Use = _tasks[i].Use.Plus(use) });
        events.AddRange(FailAt(i, errorKind, error, now));
    }

    /// <summary>
    /// Attempt <paramref name="attempt"/> of task <paramref name="i"/> was lost with its agent pool
    /// (<see cref="AttemptAudit"/>): it can never answer, so it failed as a timeout.
    /// </summary>
    public void Lose(int i, int attempt, DateTimeOffset now, List<SchedulerEvent> events)
    {
        if (IsCurrent(i, attempt))
            events.AddRange(FailAt(i, ErrorKinds.Timeout, $"attempt {attempt} is held by no agent pool any more (lost with its silo)", now));
    }

    /// <summary>Gives a dead-lettered task a fresh set of attempts and unblocks what waits on it.</summary>
    public void Requeue(string taskId, DateTimeOffset now, List<SchedulerEvent> events)
    {
        var i = IndexOf(taskId);
        if (_tasks[i].Status != TaskRunStatus.DeadLettered)
            throw new AviaryConflictException("task", $"'{taskId}' is {_tasks[i].Status}, not dead-lettered");
        if (Status == WorkflowStatus.Cancelled)
            throw new AviaryConflictException("status", "workflow was cancelled");
        Status = WorkflowStatus.Running;
        // A fresh set of attempts; numbering goes on, so an agent can tell a retry from a first try.
        Set(i, _tasks[i] with
        {
            Status = TaskRunStatus.Ready,
            ExtraAttempts = _tasks[i].Attempts, // the policy's attempts again, counted from here
            FinishedAt = null,
            NextAttemptAt = null,
        });
        _ready.Enqueue(i, (_plan.Tasks[i].Priority, i));
        events.Add(Event(SchedulerEventKind.Requeued, i, "retried from the dead-letter queue"));
        Unblock(i, events);
    }

    private IEnumerable<SchedulerEvent> FailAt(int i, string errorKind, string error, DateTimeOffset now)
    {
        var spec = _plan.Tasks[i];
        var attempts = _tasks[i].Attempts;
        var listed = spec.Retry.NonRetryableErrors.Contains(errorKind, StringComparer.Ordinal);
        // Deterministic kinds fail the same way on every attempt, whatever the policy says.
        var deterministic = !listed && ErrorKinds.IsDeterministic(errorKind);
        var retryable = !listed && !deterministic;
        var events = new List<SchedulerEvent> { Event(SchedulerEventKind.Failed, i, $"{errorKind}: {error}") };
        if (retryable && attempts < spec.Retry.MaxAttempts + _tasks[i].ExtraAttempts)
        {
            // Backoff counts the attempts of this set: after a retry from the dead-letter queue it starts over.
            var due = now + spec.Retry.DelayAfter(Math.Max(1, attempts - _tasks[i].ExtraAttempts));
            Set(i, _tasks[i] with { Status = TaskRunStatus.RetryWaiting, ErrorKind = errorKind, Error = error, FinishedAt = now, NextAttemptAt = due });
            _retries.Enqueue(i, due);
            events.Add(Event(SchedulerEventKind.RetryScheduled, i, $"attempt {attempts + 1} at {due:O}"));
            return events;
        }

        Set(i, _tasks[i] with { Status = TaskRunStatus.DeadLettered, ErrorKind = errorKind, Error = error, FinishedAt = now, NextAttemptAt = null });
        var reason = retryable ? $"gave up after {attempts} attempts"
            : deterministic ? $"{errorKind} is not retried: the same input fails the same way"
            : $"{errorKind} is not retryable";
        events.Add(Event(SchedulerEventKind.DeadLettered, i, reason));
        var blocked = new Stack<int>(_dependents[i]);
        while (blocked.TryPop(out var d))
        {
            if (_tasks[d].Status is TaskRunStatus.Blocked or TaskRunStatus.Cancelled || _tasks[d].Status.IsFinal())
                continue;
            Set(d, _tasks[d] with { Status = TaskRunStatus.Blocked, FinishedAt = now });
            events.Add(Event(SchedulerEventKind.Blocked, d, $"blocked by {spec.Id}"));
            foreach (var next in _dependents[d])
                blocked.Push(next);
        }
        var completion = new List<SchedulerEvent>();
        CompleteIfDone(completion);
        events.AddRange(completion);
        return events;
    }

    private void Unblock(int i, List<SchedulerEvent> events)
    {
        var stack = new Stack<int>(_dependents[i]);
        while (stack.TryPop(out var d))
        {
            if (_tasks[d].Status != TaskRunStatus.Blocked)
                continue;
            // Still blocked if another dependency is dead-lettered or blocked.
            var stillBlocked = _plan.Tasks[d].DependsOn.Any(dep => _tasks[_index[dep]].Status is TaskRunStatus.DeadLettered or TaskRunStatus.Blocked && _index[dep] != i);
            if (stillBlocked)
                continue;
            Set(d, _tasks[d] with { Status = TaskRunStatus.Pending, FinishedAt = null });
            events.Add(Event(SchedulerEventKind.Requeued, d, $"unblocked by retrying {_plan.Tasks[i].Id}"));
            foreach (var next in _dependents[d])
                stack.Push(next);
        }
    }
}
