using Aviary.Errors;
using Aviary.Workflows;

namespace Aviary.Grains.Workflows;

/// <summary>
/// One workflow run's scheduling, without Orleans: which tasks are ready (by priority, then plan
/// order), what happens when one succeeds, fails or is cancelled, when the next retry is due
/// (exponential backoff), what is dead-lettered and what that blocks. It judges no attempt's
/// time: an attempt's deadline is its agent pool's (<see cref="Agents.AgentPool"/>), which answers
/// a late attempt as a timeout like any other failure. Mutable on purpose: a 10,000-task fan-out
/// must cost O(1) per task, not a copy of the whole run.
/// </summary>
public sealed partial class WorkflowScheduler
{
    private readonly WorkflowPlan _plan;
    private readonly TaskRun[] _tasks;
    private readonly Dictionary<string, int> _index;
    private readonly List<int>[] _dependents;
    private readonly int[] _waitingOn;
    private readonly PriorityQueue<int, (TaskPriority Priority, int Index)> _ready = new();
    private readonly PriorityQueue<int, DateTimeOffset> _retries = new();
    private readonly Action<int>? _changed;
    private int _unfinished;
    private int _running;

    // Every task has a started and a succeeded event: their usual texts are made once, not per task.
    private static readonly string[] StartedText = [.. Enumerable.Range(0, 8).Select(a => $"attempt {a}")];
    private static readonly string[] SucceededText = [.. Enumerable.Range(0, 8).Select(a => $"attempt {a} succeeded")];

    public WorkflowStatus Status { get; private set; }

    public IReadOnlyList<TaskRun> Tasks => _tasks;

    public WorkflowPlan Plan => _plan;

    public TaskSpec Spec(string taskId) => _plan.Tasks[IndexOf(taskId)];

    public TaskRun Task(string taskId) => _tasks[IndexOf(taskId)];

    public int Count(TaskRunStatus status) => _tasks.Count(t => t.Status == status);

    /// <summary>Whether any attempt is out with an agent pool.</summary>
    public bool HasRunning => _running > 0;

    public bool HasReadyWork => _ready.Count > 0;

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

    /// <summary>The attempts out with agent pools: task index and attempt number.</summary>
    public List<(int Task, int Attempt)> RunningAttempts()
    {
        var running = new List<(int, int)>(_running);
        for (var i = 0; i < _tasks.Length && running.Count < _running; i++)
        {
            if (_tasks[i].Status == TaskRunStatus.Running)
                running.Add((i, _tasks[i].Attempts));
        }
        return running;
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

    /// <summary>When the run next needs attention without being called: its next retry.</summary>
    public DateTimeOffset? NextWakeAt() =>
        Status == WorkflowStatus.Running && _retries.TryPeek(out _, out var due) ? due : null;

    private void CompleteIfDone(List<SchedulerEvent> events)
    {
        if (Status != WorkflowStatus.Running || _unfinished > 0)
            return;
        Status = _tasks.All(t => t.Status == TaskRunStatus.Succeeded) ? WorkflowStatus.Succeeded : WorkflowStatus.Failed;
        var dead = _tasks.Count(t => t.Status == TaskRunStatus.DeadLettered);
        events.Add(new SchedulerEvent(SchedulerEventKind.WorkflowCompleted, null, 0,
            Status == WorkflowStatus.Succeeded ? $"all {_tasks.Length} tasks succeeded" : $"{dead} task(s) dead-lettered", Status));
    }

    /// <summary>Every change of a task goes through here, so "is everything finished" and "is anything out" stay O(1) per outcome.</summary>
    private void Set(int i, TaskRun next)
    {
        var before = _tasks[i].Status;
        _unfinished += (before.IsFinal() ? 1 : 0) - (next.Status.IsFinal() ? 1 : 0);
        _running += (next.Status == TaskRunStatus.Running ? 1 : 0) - (before == TaskRunStatus.Running ? 1 : 0);
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
