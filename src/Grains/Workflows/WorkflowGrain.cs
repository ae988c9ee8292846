using Aviary.Errors;
using Aviary.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Aviary.Grains.Workflows;

/// <summary>
/// The shell around <see cref="WorkflowScheduler"/>. Outcomes from the pools are applied in memory
/// and flushed in the grain's next free turn: outcomes that arrive while a flush writes wait
/// behind it and go out together in the next, so one state write covers many outcomes, and
/// nothing that follows from them (dependents dispatched, events) happens before that write.
/// A reminder brings an unfinished run back after a restart; finished tasks stay finished and
/// attempts that were in flight are retried per their policy. The run times no attempt: its pool
/// answers every attempt, at its deadline at the latest; the run only audits its pools for
/// attempts lost with a silo (<see cref="AttemptAudit"/>).
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

    private WorkflowScheduler? _scheduler;
    private WorkflowProgressStore? _progress;
    private AttemptAudit? _audit;
    private readonly List<SchedulerEvent> _pending = [];
    private string? _runId;

    private WorkflowProgressStore Progress => _progress ??= new WorkflowProgressStore(progressStorage, this.GetGrainId());

    private AttemptAudit Audit => _audit ??= new AttemptAudit(timing.Value.AttemptAuditPeriod);

    private string RunId => _runId ??= this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (planStore.State.Plan is not { } plan)
            return;
        var tasks = await Progress.ReadAsync(plan);
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
        var tasks = Scheduler.Tasks;
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
            Status = Scheduler.Status,
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

    private WorkflowView View()
    {
        var tasks = Scheduler.Tasks.ToArray();
        return new WorkflowView
        {
            RunId = RunId,
            Name = planStore.State.Plan?.Name ?? "",
            Status = Scheduler.Status,
            Tasks = tasks,
            CreatedAt = planStore.State.CreatedAt,
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
}
