using Aviary.Errors;
using Aviary.Workflows;

namespace Aviary.Grains.Workflows;

/// <summary>
/// One workflow run's scheduling, without Orleans: which tasks are ready (by priority, then plan
/// order), what happens when one succeeds, fails, times out or is cancelled, when the next retry
/// is due (exponential backoff), what is dead-lettered and what that blocks. Mutable on purpose:
/// a 10,000-task fan-out must cost O(1) per task, not a copy of the whole run.
/// </summary>
public sealed class WorkflowScheduler
{
    public const string TimeoutError = "Timeout";
    public const string InterruptedError = "Interrupted";

    private readonly WorkflowPlan _plan;
    private readonly TaskRun[] _tasks;
    private readonly Dictionary<string, int> _index;
    private readonly List<int>[] _dependents;
    private readonly int[] _waitingOn;
    private readonly PriorityQueue<int, (TaskPriority Priority, int Index)> _ready = new();
    private readonly PriorityQueue<int, DateTimeOffset> _retries = new();
    private readonly Action<int>? _changed;
    // Deadlines moved on for attempts an agent pool still holds (queued behind an open breaker or
    // busy workers, or running under the pool's own timeout), or given a grace for an answer that
    // may be on its way: in memory, as after a restart every running attempt is retried anyway.
    private readonly Dictionary<int, (int Attempt, DateTimeOffset Until, bool AnswerGrace)> _extended = [];
    private int _unfinished;

    // Every task has a started and a succeeded event: their usual texts are made once, not per task.
    private static readonly string[] StartedText = [.. Enumerable.Range(0, 8).Select(a => $"attempt {a}")];
    private static readonly string[] SucceededText = [.. Enumerable.Range(0, 8).Select(a => $"attempt {a} succeeded")];

    /// <summary>
    /// A run as stored, or a new one when <paramref name="tasks"/> is null. <paramref name="changed"/>
    /// hears of every task that changes from then on (by index), restoring included.
    /// </summary>
    public WorkflowScheduler(WorkflowPlan plan, TaskRun[]? tasks, WorkflowStatus status, DateTimeOffset now, out IReadOnlyList<SchedulerEvent> recovered, Action<int>? changed = null)
    {
        _plan = plan;
        _changed = changed;
        var n = plan.Tasks.Length;
        _index = new Dictionary<string, int>(n, StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
            _index[plan.Tasks[i].Id] = i;
        _dependents = new List<int>[n];
        for (var i = 0; i < n; i++)
            _dependents[i] = [];
        _waitingOn = new int[n];
        for (var i = 0; i < n; i++)
        {
            foreach (var d in plan.Tasks[i].DependsOn)
                _dependents[_index[d]].Add(i);
        }
        _tasks = tasks ?? plan.Tasks.Select(t => new TaskRun { Id = t.Id, Status = TaskRunStatus.Pending }).ToArray();
        if (_tasks.Length != n)
            throw new ArgumentException("stored tasks do not match the plan", nameof(tasks));
        Status = status;
        _unfinished = _tasks.Count(t => !t.Status.IsFinal());
        var events = new List<SchedulerEvent>();
        if (tasks is null)
        {
            for (var i = 0; i < n; i++)
                _changed?.Invoke(i);
        }
        else if (status == WorkflowStatus.Running)
        {
            Reconcile(now, events);
        }

        for (var i = 0; i < n; i++)
        {
            _waitingOn[i] = plan.Tasks[i].DependsOn.Count(d => _tasks[_index[d]].Status != TaskRunStatus.Succeeded);
            switch (_tasks[i].Status)
            {
                case TaskRunStatus.Pending when _waitingOn[i] == 0 && Status == WorkflowStatus.Running:
                    Set(i, _tasks[i] with { Status = TaskRunStatus.Ready });
                    _ready.Enqueue(i, (plan.Tasks[i].Priority, i));
                    events.Add(Event(SchedulerEventKind.Queued, i, "ready"));
                    break;
                case TaskRunStatus.Ready:
                    _ready.Enqueue(i, (plan.Tasks[i].Priority, i));
                    break;
                case TaskRunStatus.RetryWaiting:
                    _retries.Enqueue(i, _tasks[i].NextAttemptAt ?? now);
                    break;
                case TaskRunStatus.Running:
                    // The attempt was in flight when the run stopped: it failed, and the retry policy decides.
                    events.AddRange(FailAt(i, InterruptedError, "the attempt was interrupted (silo restart)", now));
                    break;
            }
        }
        // Every task's last change was stored but not the run's: it ends now.
        if (tasks is not null)
            CompleteIfDone(events);
        recovered = events;
    }

    /// <summary>
    /// A run's progress is stored in parts (<see cref="WorkflowProgressStore"/>); a crash between
    /// two parts of one flush leaves some of its changes stored and some not. Whatever depends only
    /// on other tasks is worked out again here: ready or pending from the dependencies, blocked
    /// from the dead letters, and a cancel whose run never stored it as cancelled did not happen.
    /// Finished tasks, attempts and retries are kept as stored; nothing was dispatched from a
    /// flush before all of its parts were stored.
    /// </summary>
    private void Reconcile(DateTimeOffset now, List<SchedulerEvent> events)
    {
        var n = _tasks.Length;
        var blocked = new bool[n];
        var stack = new Stack<int>();
        for (var i = 0; i < n; i++)
        {
            if (_tasks[i].Status == TaskRunStatus.DeadLettered)
                stack.Push(i);
        }
        while (stack.TryPop(out var i))
        {
            foreach (var d in _dependents[i])
            {
                if (!blocked[d] && _tasks[d].Status != TaskRunStatus.Succeeded)
                {
                    blocked[d] = true;
                    stack.Push(d);
                }
            }
        }
        for (var i = 0; i < n; i++)
        {
            var status = _tasks[i].Status;
            if (blocked[i] && status is TaskRunStatus.Pending or TaskRunStatus.Ready)
            {
                Set(i, _tasks[i] with { Status = TaskRunStatus.Blocked, FinishedAt = now });
                events.Add(Event(SchedulerEventKind.Blocked, i, "blocked by a dead-lettered dependency"));
            }
            else if (!blocked[i] && status is TaskRunStatus.Blocked or TaskRunStatus.Cancelled)
                Set(i, _tasks[i] with { Status = TaskRunStatus.Pending, FinishedAt = null });
            else if (status == TaskRunStatus.Ready && _plan.Tasks[i].DependsOn.Any(d => _tasks[_index[d]].Status != TaskRunStatus.Succeeded))
                Set(i, _tasks[i] with { Status = TaskRunStatus.Pending });
        }
    }

    public WorkflowStatus Status { get; private set; }

    public IReadOnlyList<TaskRun> Tasks => _tasks;

    public WorkflowPlan Plan => _plan;

    public TaskSpec Spec(string taskId) => _plan.Tasks[IndexOf(taskId)];

    public TaskRun Task(string taskId) => _tasks[IndexOf(taskId)];

    public int Count(TaskRunStatus status) => _tasks.Count(t => t.Status == status);

    /// <summary>Up to <paramref name="max"/> tasks to start now, highest priority first; each is marked running.</summary>
    public IReadOnlyList<TaskSpec> TakeDispatchable(DateTimeOffset now, int max, List<SchedulerEvent> events)
    {
        if (Status != WorkflowStatus.Running)
            return [];
        while (_retries.TryPeek(out var waiting, out var due) && due <= now)
        {
            _retries.Dequeue();
            if (_tasks[waiting].Status != TaskRunStatus.RetryWaiting)
                continue;
            Set(waiting, _tasks[waiting] with { Status = TaskRunStatus.Ready, NextAttemptAt = null });
            _ready.Enqueue(waiting, (_plan.Tasks[waiting].Priority, waiting));
        }
        var taken = new List<TaskSpec>(Math.Min(max, _ready.Count));
        while (taken.Count < max && _ready.TryDequeue(out var i, out _))
        {
            if (_tasks[i].Status != TaskRunStatus.Ready)
                continue;
            var attempt = _tasks[i].Attempts + 1;
            Set(i, _tasks[i] with { Status = TaskRunStatus.Running, Attempts = attempt, StartedAt = now, FinishedAt = null });
            events.Add(Event(SchedulerEventKind.Started, i, Text(StartedText, attempt, "")));
            taken.Add(_plan.Tasks[i]);
        }
        return taken;
    }

    /// <summary>Attempt <paramref name="attempt"/> of a task succeeded. A late answer from an older attempt changes nothing.</summary>
    public void Succeed(string taskId, int attempt, string? resultRef, ResourceUse use, DateTimeOffset now, List<SchedulerEvent> events)
    {
        var i = IndexOf(taskId);
        if (!IsCurrent(i, attempt))
            return;
        Set(i, _tasks[i] with
        {
            Status = TaskRunStatus.Succeeded,
            FinishedAt = now,
            ResultRef = resultRef,
            ErrorKind = null,
            Error = null,
            Use = _tasks[i].Use.Plus(use),
        });
        events.Add(Event(SchedulerEventKind.Succeeded, i, Text(SucceededText, attempt, " succeeded")));
        foreach (var d in _dependents[i])
        {
            if (--_waitingOn[d] == 0 && _tasks[d].Status == TaskRunStatus.Pending)
            {
                Set(d, _tasks[d] with { Status = TaskRunStatus.Ready });
                _ready.Enqueue(d, (_plan.Tasks[d].Priority, d));
                events.Add(Event(SchedulerEventKind.Queued, d, "dependencies done"));
            }
        }
        CompleteIfDone(events);
    }

    /// <summary>Attempt <paramref name="attempt"/> failed with an error of <paramref name="errorKind"/>.</summary>
    public void Fail(string taskId, int attempt, string errorKind, string error, ResourceUse use, DateTimeOffset now, List<SchedulerEvent> events)
    {
        var i = IndexOf(taskId);
        if (!IsCurrent(i, attempt))
            return;
        Set(i, _tasks[i] with { Use = _tasks[i].Use.Plus(use) });
        events.AddRange(FailAt(i, errorKind, error, now));
    }

    /// <summary>Running attempts past their deadline (their timeout from dispatch, or as <see cref="Extend"/> moved it).</summary>
    public List<int> Overdue(DateTimeOffset now)
    {
        var overdue = new List<int>();
        for (var i = 0; i < _tasks.Length; i++)
        {
            if (Deadline(i) <= now)
                overdue.Add(i);
        }
        return overdue;
    }

    /// <summary>Fails task <paramref name="i"/>'s running attempt as timed out.</summary>
    public void TimeOut(int i, DateTimeOffset now, List<SchedulerEvent> events)
    {
        if (_tasks[i].Status != TaskRunStatus.Running)
            return;
        _extended.Remove(i);
        events.AddRange(FailAt(i, TimeoutError, $"attempt {_tasks[i].Attempts} ran longer than {Durations.Format(_plan.Tasks[i].Timeout)}", now));
    }

    /// <summary>
    /// Moves task <paramref name="i"/>'s deadline to <paramref name="until"/>: its agent pool still
    /// holds the attempt, or (<paramref name="answerGrace"/>) no longer does but its answer may be on the way.
    /// </summary>
    public void Extend(int i, DateTimeOffset until, bool answerGrace = false)
    {
        if (_tasks[i].Status == TaskRunStatus.Running)
            _extended[i] = (_tasks[i].Attempts, until, answerGrace);
    }

    /// <summary>Whether task <paramref name="i"/>'s running attempt already had its grace for an answer (see <see cref="Extend"/>).</summary>
    public bool HadAnswerGrace(int i) =>
        _tasks[i].Status == TaskRunStatus.Running && _extended.TryGetValue(i, out var moved) && moved.Attempt == _tasks[i].Attempts && moved.AnswerGrace;

    private DateTimeOffset? Deadline(int i)
    {
        if (_tasks[i].Status != TaskRunStatus.Running || _tasks[i].StartedAt is not { } started)
            return null;
        return _extended.TryGetValue(i, out var moved) && moved.Attempt == _tasks[i].Attempts
            ? moved.Until
            : started + _plan.Tasks[i].Timeout;
    }

    public void Cancel(DateTimeOffset now, List<SchedulerEvent> events)
    {
        if (Status != WorkflowStatus.Running)
            throw new AviaryConflictException("status", $"workflow has already ended ({Status})");
        for (var i = 0; i < _tasks.Length; i++)
        {
            if (_tasks[i].Status.IsFinal())
                continue;
            Set(i, _tasks[i] with { Status = TaskRunStatus.Cancelled, FinishedAt = now, NextAttemptAt = null });
            events.Add(Event(SchedulerEventKind.Cancelled, i, "cancelled"));
        }
        _ready.Clear();
        _retries.Clear();
        Status = WorkflowStatus.Cancelled;
        events.Add(new SchedulerEvent(SchedulerEventKind.WorkflowCompleted, null, 0, "cancelled", Status));
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

    /// <summary>When the run next needs attention without being called: a retry or a timeout.</summary>
    public DateTimeOffset? NextWakeAt()
    {
        if (Status != WorkflowStatus.Running)
            return null;
        DateTimeOffset? next = _retries.TryPeek(out _, out var due) ? due : null;
        for (var i = 0; i < _tasks.Length; i++)
        {
            if (Deadline(i) is { } deadline && (next is null || deadline < next))
                next = deadline;
        }
        return next;
    }

    public bool HasReadyWork => _ready.Count > 0;

    private IEnumerable<SchedulerEvent> FailAt(int i, string errorKind, string error, DateTimeOffset now)
    {
        var spec = _plan.Tasks[i];
        var attempts = _tasks[i].Attempts;
        var retryable = !spec.Retry.NonRetryableErrors.Contains(errorKind, StringComparer.Ordinal);
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
        events.Add(Event(SchedulerEventKind.DeadLettered, i, retryable ? $"gave up after {attempts} attempts" : $"{errorKind} is not retryable"));
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

    private void CompleteIfDone(List<SchedulerEvent> events)
    {
        if (Status != WorkflowStatus.Running || _unfinished > 0)
            return;
        Status = _tasks.All(t => t.Status == TaskRunStatus.Succeeded) ? WorkflowStatus.Succeeded : WorkflowStatus.Failed;
        var dead = _tasks.Count(t => t.Status == TaskRunStatus.DeadLettered);
        events.Add(new SchedulerEvent(SchedulerEventKind.WorkflowCompleted, null, 0,
            Status == WorkflowStatus.Succeeded ? $"all {_tasks.Length} tasks succeeded" : $"{dead} task(s) dead-lettered", Status));
    }

    /// <summary>Every change of a task goes through here, so "is everything finished" stays O(1) per outcome.</summary>
    private void Set(int i, TaskRun next)
    {
        _unfinished += (_tasks[i].Status.IsFinal() ? 1 : 0) - (next.Status.IsFinal() ? 1 : 0);
        _tasks[i] = next;
        _changed?.Invoke(i);
    }

    private bool IsCurrent(int i, int attempt) =>
        Status == WorkflowStatus.Running && _tasks[i].Status == TaskRunStatus.Running && _tasks[i].Attempts == attempt;

    private int IndexOf(string taskId) =>
        _index.TryGetValue(taskId, out var i) ? i : throw new AviaryNotFoundException("task", $"no task '{taskId}' in this workflow");

    private static string Text(string[] made, int attempt, string suffix) =>
        attempt < made.Length ? made[attempt] : $"attempt {attempt}{suffix}";

    private SchedulerEvent Event(SchedulerEventKind kind, int i, string message) =>
        new(kind, _plan.Tasks[i].Id, _tasks[i].Attempts, message, Status);
}
