using Aviary.Workflows;

namespace Aviary.Grains.Workflows;

public sealed partial class WorkflowScheduler
{
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
                    _running++;
                    events.AddRange(FailAt(i, ErrorKinds.Interrupted, "the attempt was interrupted (silo restart)", now));
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
}
