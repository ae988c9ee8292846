using Aviary.Errors;
using Aviary.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.Streams;
using Microsoft.Extensions.DependencyInjection;

namespace Aviary.Grains.Workflows;

/// <summary>
/// The shell around <see cref="WorkflowScheduler"/>. Outcomes from the pools are applied in memory
/// and flushed in the grain's next free turn: outcomes that arrive while a flush writes wait
/// behind it and go out together in the next, so one state write covers many outcomes, and
/// nothing that follows from them (dependents dispatched, events) happens before that write.
/// A reminder brings an unfinished run back after a restart; finished tasks stay finished and
/// attempts that were in flight are retried per their policy.
/// </summary>
/// <remarks>
/// A run that has ended holds every task's record for whoever still asks (a console following it
/// fetches the view at the end): two idle minutes later it leaves memory, and is read back from
/// storage if asked for again. A running run keeps itself active with its timers.
/// </remarks>
[CollectionAgeLimit(Minutes = 2)]
public sealed partial class WorkflowGrain(
    [PersistentState("workflow-plan", Names.Storage)] IPersistentState<WorkflowPlanState> planStore,
    [PersistentState("workflow", Names.Storage)] IPersistentState<WorkflowGrainState> store,
    [FromKeyedServices(Names.Storage)] IGrainStorage progressStorage,
    AviaryClock clock,
    IOptions<GrainTimingOptions> timing,
    ILogger<WorkflowGrain> logger) : Grain, IWorkflowGrain, IRemindable
{
    private const string ReminderName = "workflow";
    private const int PublishBatch = 512;

    private WorkflowScheduler? _scheduler;
    private WorkflowProgressStore? _progress;

    private WorkflowProgressStore Progress => _progress ??= new WorkflowProgressStore(progressStorage, this.GetGrainId());
    private readonly List<SchedulerEvent> _pending = [];
    private IGrainTimer? _flushTimer;
    private IGrainTimer? _wakeTimer;
    private bool _flushRequested;

    private string? _runId;

    private string RunId => _runId ??= this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (planStore.State.Plan is not { } plan)
            return;
        var tasks = await Progress.ReadAsync(plan);
        if (tasks is null && store.State.Tasks.Length == plan.Tasks.Length && plan.Tasks.Length > 0)
        {
            // Stored by an earlier version, all tasks in the run's own record: moved to chunks on the next flush.
            tasks = store.State.Tasks;
            Progress.MarkAllChanged(tasks.Length);
        }
        _scheduler = new WorkflowScheduler(plan, tasks, store.State.Status, clock.Now, out var recovered, Progress.MarkChanged);
        _pending.AddRange(recovered);
        if (_scheduler.Status == WorkflowStatus.Running || _pending.Count > 0)
            RequestFlush();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        AviaryGauges.Workflow(RunId, null, finished: true);
        return Task.CompletedTask;
    }

    async Task<WorkflowView> IWorkflowGrain.StartAsync(WorkflowPlan plan)
    {
        Identifiers.ValidateRunId(RunId);
        PlanValidator.Validate(plan);
        if (planStore.State.Plan is { } existing)
        {
            // The same start again (a client retrying) is answered with the run; another plan under its id is refused.
            if (existing.Name != plan.Name || existing.Tasks.Length != plan.Tasks.Length
                || System.Text.Json.JsonSerializer.Serialize(existing) != System.Text.Json.JsonSerializer.Serialize(plan))
                throw new AviaryConflictException("runId", $"'{RunId}' already runs plan '{existing.Name}'");
            return View();
        }
        var now = clock.Now;
        _scheduler = new WorkflowScheduler(plan, null, WorkflowStatus.Running, now, out var queued, Progress.MarkChanged);
        _pending.AddRange(queued);
        planStore.State.Plan = plan;
        planStore.State.CreatedAt = now;
        await planStore.WriteStateAsync();
        await GrainFactory.GetGrain<IWorkflowRegistryGrain>(IWorkflowRegistryGrain.Key).AddAsync(RunId);
        await this.RegisterOrUpdateReminder(ReminderName, timing.Value.ReminderPeriod, timing.Value.ReminderPeriod);
        await FlushAsync();
        LogStarted(logger, RunId, plan.Name, plan.Tasks.Length);
        return View();
    }

    Task<WorkflowView?> IWorkflowGrain.GetAsync() => Task.FromResult(planStore.State.Plan is null ? null : View());

    Task<WorkflowPlan?> IWorkflowGrain.GetPlanAsync() => Task.FromResult(planStore.State.Plan);

    Task<WorkflowSummary?> IWorkflowGrain.GetSummaryAsync()
    {
        if (planStore.State.Plan is null)
            return Task.FromResult<WorkflowSummary?>(null);
        IReadOnlyList<TaskRun> tasks = _scheduler?.Tasks ?? store.State.Tasks;
        int succeeded = 0, running = 0, failed = 0;
        foreach (var task in tasks)
        {
            switch (task.Status)
            {
                case TaskRunStatus.Succeeded: succeeded++; break;
                case TaskRunStatus.Running: running++; break;
                case TaskRunStatus.DeadLettered or TaskRunStatus.Blocked: failed++; break;
            }
        }
        return Task.FromResult<WorkflowSummary?>(new WorkflowSummary
        {
            Status = _scheduler?.Status ?? store.State.Status,
            Tasks = tasks.Count,
            Succeeded = succeeded,
            Running = running,
            Failed = failed,
        });
    }

    async Task<WorkflowView> IWorkflowGrain.CancelAsync()
    {
        var scheduler = Scheduler;
        var plan = planStore.State.Plan!;
        var pools = Enumerable.Range(0, plan.Tasks.Length)
            .Where(i => scheduler.Tasks[i].Status == TaskRunStatus.Running)
            .Select(i => plan.Tasks[i].Agent)
            .Distinct()
            .ToArray();
        scheduler.Cancel(clock.Now, _pending);
        await FlushAsync();
        // What waits in a pool's queue will not run; what already runs ends, and its answer is ignored.
        // Best effort: the cancel is stored, and a pool that cannot be told now runs what it has, unheard.
        foreach (var agent in pools)
        {
            try
            {
                await GrainFactory.GetGrain<IAgentPoolGrain>(agent).ForgetAsync(RunId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPoolUnreachable(logger, ex, RunId, agent);
            }
        }
        return View();
    }

    async Task<WorkflowView> IWorkflowGrain.RetryTaskAsync(string taskId)
    {
        var ended = Scheduler.Status != WorkflowStatus.Running;
        Scheduler.Requeue(taskId, clock.Now, _pending);
        // Its reminder went with its end: running again, it must come back after a restart like any run.
        if (ended)
            await this.RegisterOrUpdateReminder(ReminderName, timing.Value.ReminderPeriod, timing.Value.ReminderPeriod);
        await FlushAsync();
        return View();
    }

    Task IWorkflowGrain.ReportAsync(TaskOutcome[] outcomes)
    {
        if (_scheduler is null)
            return Task.CompletedTask;
        var now = clock.Now;
        foreach (var outcome in outcomes)
        {
            if (outcome.Succeeded)
                _scheduler.Succeed(outcome.TaskId, outcome.Attempt, outcome.ResultRef, outcome.Use, now, _pending);
            else
                _scheduler.Fail(outcome.TaskId, outcome.Attempt, outcome.ErrorKind ?? "Error", outcome.Error ?? "", outcome.Use, now, _pending);
        }
        RequestFlush();
        return Task.CompletedTask;
    }

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_scheduler is null || _scheduler.Status != WorkflowStatus.Running)
        {
            await UnregisterReminderAsync();
            return;
        }
        await FlushAsync();
    }

    private WorkflowScheduler Scheduler => _scheduler ?? throw new AviaryNotFoundException("runId", $"no workflow run '{RunId}'");

    /// <summary>
    /// A flush in the next free turn: a timer due now queues behind the calls already waiting, so
    /// the outcomes they carry join this flush instead of each costing a write of their own.
    /// </summary>
    private void RequestFlush()
    {
        if (_flushRequested)
            return;
        _flushRequested = true;
        _flushTimer ??= this.RegisterGrainTimer(_ => FlushAsync(), new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan)
        {
            Interleave = false,
            KeepAlive = true,
        });
        _flushTimer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Time out what ran too long, take what is ready, store it all, then dispatch and publish.</summary>
    private async Task FlushAsync()
    {
        _flushRequested = false;
        var scheduler = Scheduler;
        var now = clock.Now;
        await TimeOutLostAttemptsAsync(scheduler, now);
        var dispatch = scheduler.TakeDispatchable(now, int.MaxValue, _pending);
        if (_pending.Count == 0 && dispatch.Count == 0 && !Progress.HasChanges)
        {
            ArmWake();
            return;
        }

        // The tasks' changes first, then the run's own record (absent while it runs): a run is
        // stored as ended only once every task's last change is.
        await Progress.WriteAsync(scheduler.Tasks);
        if (store.State.Status != scheduler.Status || store.State.Tasks.Length > 0)
        {
            store.State.Tasks = [];
            store.State.Status = scheduler.Status;
            if (scheduler.Status != WorkflowStatus.Running)
                store.State.CompletedAt ??= now;
            else
                store.State.CompletedAt = null;
            await store.WriteStateAsync();
        }
        AviaryGauges.Workflow(RunId, scheduler.Tasks, finished: scheduler.Status != WorkflowStatus.Running);

        var events = _pending.ToArray();
        _pending.Clear();
        foreach (var group in dispatch.GroupBy(t => t.Agent))
        {
            var items = group.Select(t => new WorkItem
            {
                RunId = RunId,
                TaskId = t.Id,
                Attempt = scheduler.Task(t.Id).Attempts,
                Agent = t.Agent,
                Input = ResolveInput(scheduler, t),
                Priority = t.Priority,
                Timeout = t.Timeout,
            }).ToArray();
            await GrainFactory.GetGrain<IAgentPoolGrain>(group.Key).EnqueueAsync(items);
        }
        await DeadLetterAsync(events, now);
        await PublishAsync(events, now);
        if (scheduler.Status != WorkflowStatus.Running)
        {
            LogCompleted(logger, RunId, scheduler.Status);
            await NotifyEndedAsync(scheduler.Status, now);
            _wakeTimer?.Dispose();
            _wakeTimer = null;
            await UnregisterReminderAsync();
        }
        else
        {
            ArmWake();
        }
    }

    /// <summary>How long an overdue attempt its pool no longer holds gets before it times out: its answer may be on the way.</summary>
    private static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Attempts past their timeout: asks their pools first. One a pool still holds (waiting in its
    /// queue, e.g. behind an open breaker, or running under the pool's own per-attempt timeout) gets
    /// another timeout's time. One the pool no longer holds may have just ended, its answer queued
    /// behind this very turn: it gets <see cref="AnswerGrace"/>, and times out if the pool still does
    /// not hold it then (a silo died with it).
    /// </summary>
    private async Task TimeOutLostAttemptsAsync(WorkflowScheduler scheduler, DateTimeOffset now)
    {
        var overdue = scheduler.Overdue(now);
        if (overdue.Count == 0)
            return;
        var plan = planStore.State.Plan!;
        foreach (var pool in overdue.GroupBy(i => plan.Tasks[i].Agent))
        {
            var indices = pool.ToArray();
            HeldWork[] held;
            try
            {
                held = await GrainFactory.GetGrain<IAgentPoolGrain>(pool.Key)
                    .HoldsAsync(RunId, [.. indices.Select(i => new AttemptRef(plan.Tasks[i].Id, scheduler.Tasks[i].Attempts))]);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPoolUnreachable(logger, ex, RunId, pool.Key);
                held = new HeldWork[indices.Length]; // not held: they time out
            }
            for (var k = 0; k < indices.Length; k++)
            {
                var i = indices[k];
                if (held[k].State != HeldWorkState.NotHeld)
                    scheduler.Extend(i, now + plan.Tasks[i].Timeout);
                else if (!scheduler.HadAnswerGrace(i))
                    scheduler.Extend(i, now + AnswerGrace, answerGrace: true);
                else
                    scheduler.TimeOut(i, now, _pending);
            }
        }
    }

    /// <summary>Retries and timeouts need the run's attention at a time: a timer nudges it then.</summary>
    private void ArmWake()
    {
        if (_scheduler?.NextWakeAt() is not { } wake)
        {
            _wakeTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var due = timing.Value.DelayUntil(wake, clock.Now);
        _wakeTimer ??= this.RegisterGrainTimer(_ => FlushAsync(), new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan)
        {
            Interleave = false,
            KeepAlive = true,
        });
        _wakeTimer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private async Task DeadLetterAsync(SchedulerEvent[] events, DateTimeOffset now)
    {
        var letters = new List<DeadLetter>();
        foreach (var e in events.Where(e => e.Kind == SchedulerEventKind.DeadLettered))
        {
            var spec = Scheduler.Spec(e.TaskId!);
            var run = Scheduler.Task(e.TaskId!);
            letters.Add(new DeadLetter
            {
                RunId = RunId,
                TaskId = spec.Id,
                Agent = spec.Agent,
                Input = spec.Input,
                Attempts = run.Attempts,
                ErrorKind = run.ErrorKind ?? "",
                Error = run.Error ?? "",
                At = now,
            });
            LogDeadLettered(logger, RunId, spec.Id, run.Attempts, run.ErrorKind ?? "");
        }
        // One write for all of this flush's dead letters: a wide fan-out failing costs one, not one each.
        if (letters.Count > 0)
            await GrainFactory.GetGrain<IDeadLetterGrain>(IDeadLetterGrain.Key).AddAsync([.. letters]);
    }

    private async Task PublishAsync(SchedulerEvent[] events, DateTimeOffset now)
    {
        if (events.Length == 0)
            return;
        var runId = RunId;
        var stream = this.GetStreamProvider(Names.StreamProvider).GetStream<WorkflowEventBatch>(StreamId.Create(Names.WorkflowEvents, Names.WorkflowEventsKey(runId)));
        try
        {
            // Batches of a few hundred events: each stays well under the large-object heap's
            // 85 KB once serialized, so publishing does not feed gen-2 collections.
            for (var start = 0; start < events.Length; start += PublishBatch)
            {
                var items = new WorkflowEventItem[Math.Min(PublishBatch, events.Length - start)];
                for (var i = 0; i < items.Length; i++)
                {
                    var e = events[start + i];
                    items[i] = new WorkflowEventItem { Kind = Kebab(e.Kind), TaskId = e.TaskId, Attempt = e.Attempt, Status = e.Status, Message = e.Message };
                }
                await stream.OnNextAsync(new WorkflowEventBatch { RunId = runId, At = now, Items = items });
            }
        }
        catch (Exception ex)
        {
            // A live feed: the stored run is the record.
            LogPublishFailed(logger, ex, RunId);
        }
    }

    /// <summary><c>${tasks.&lt;id&gt;.result}</c> in an input becomes that task's result reference (it has succeeded: it is a dependency).</summary>
    private static Dictionary<string, string> ResolveInput(WorkflowScheduler scheduler, TaskSpec task)
    {
        if (!task.Input.Values.Any(v => v.Contains("${tasks.", StringComparison.Ordinal)))
            return task.Input;
        return task.Input.ToDictionary(kv => kv.Key, kv => ResultReference().Replace(kv.Value, m =>
        {
            var id = m.Groups["id"].Value;
            return task.DependsOn.Contains(id, StringComparer.Ordinal) ? scheduler.Task(id).ResultRef ?? "" : m.Value;
        }));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\$\{tasks\.(?<id>[A-Za-z0-9._/-]+)\.result\}")]
    private static partial System.Text.RegularExpressions.Regex ResultReference();

    private WorkflowView View()
    {
        var tasks = _scheduler?.Tasks.ToArray() ?? store.State.Tasks;
        return new WorkflowView
        {
            RunId = RunId,
            Name = planStore.State.Plan?.Name ?? "",
            Status = _scheduler?.Status ?? store.State.Status,
            Tasks = tasks,
            CreatedAt = planStore.State.CreatedAt == default ? store.State.CreatedAt : planStore.State.CreatedAt,
            CompletedAt = store.State.CompletedAt,
            Use = ResourceUse.Sum(tasks.Select(t => t.Use)),
        };
    }

    private async Task UnregisterReminderAsync()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
            await this.UnregisterReminder(reminder);
    }

    private static readonly string[] KebabNames = [.. Enum.GetValues<SchedulerEventKind>().Select(kind => kind switch
    {
        SchedulerEventKind.RetryScheduled => "retry-scheduled",
        SchedulerEventKind.DeadLettered => "dead-lettered",
        SchedulerEventKind.WorkflowCompleted => "completed",
        _ => kind.ToString().ToLowerInvariant(),
    })];

    private static string Kebab(SchedulerEventKind kind) => KebabNames[(int)kind];
}
