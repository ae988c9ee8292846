using Aviary.Workflows;

namespace Aviary.Grains.Workflows;

public sealed partial class WorkflowGrain
{
    private IGrainTimer? _flushTimer;
    private IGrainTimer? _wakeTimer;
    private bool _flushRequested;

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

    /// <summary>Fail what was lost, take what is ready, store it all, then dispatch and publish.</summary>
    private async Task FlushAsync()
    {
        _flushRequested = false;
        var scheduler = Scheduler;
        var now = clock.Now;
        await AuditAsync(scheduler, now);
        var dispatch = scheduler.TakeDispatchable(now, int.MaxValue, _pending);
        Audit.Track(scheduler.HasRunning, now);
        if (_pending.Count == 0 && dispatch.Count == 0 && !Progress.HasChanges)
        {
            ArmWake();
            return;
        }

        // The tasks' changes first, then the run's own record (absent while it runs): a run is
        // stored as ended only once every task's last change is.
        await Progress.WriteAsync(scheduler.Tasks);
        if (store.State.Status != scheduler.Status)
        {
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
        await DispatchAsync(scheduler, dispatch);
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

    /// <summary>Hands the attempts just started to their agent kinds' pools, one call per kind.</summary>
    private async Task DispatchAsync(WorkflowScheduler scheduler, IReadOnlyList<TaskSpec> dispatch)
    {
        foreach (var group in dispatch.GroupBy(t => t.Agent))
        {
            var items = group.Select(t => new WorkItem
            {
                RunId = RunId,
                TaskId = t.Id,
                Attempt = scheduler.Task(t.Id).Attempts,
                Agent = t.Agent,
                Input = TaskInputs.Resolve(t, id => scheduler.Task(id).ResultRef),
                Priority = t.Priority,
                Timeout = t.Timeout,
            }).ToArray();
            await GrainFactory.GetGrain<IAgentPoolGrain>(group.Key).EnqueueAsync(items);
        }
    }

    /// <summary>Retries and audits need the run's attention at a time: a timer nudges it then.</summary>
    private void ArmWake()
    {
        var wake = _scheduler?.NextWakeAt();
        if (Audit.DueAt is { } audit && (wake is null || audit < wake))
            wake = audit;
        if (wake is null)
        {
            _wakeTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var due = timing.Value.DelayUntil(wake.Value, clock.Now);
        _wakeTimer ??= this.RegisterGrainTimer(_ => FlushAsync(), new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan)
        {
            Interleave = false,
            KeepAlive = true,
        });
        _wakeTimer.Change(due, Timeout.InfiniteTimeSpan);
    }
}
