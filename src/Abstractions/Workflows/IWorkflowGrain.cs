using Orleans.Concurrency;

namespace Aviary.Workflows;

/// <summary>One workflow run, keyed by run id: schedules its DAG on the agent pools, durably.</summary>
[Alias("aviary.IWorkflowGrain")]
public interface IWorkflowGrain : IGrainWithStringKey
{
    /// <summary>Validates and starts the plan. Idempotent for the same plan; a different one is refused.</summary>
    [Alias("Start")]
    Task<WorkflowView> StartAsync(WorkflowPlan plan);

    /// <summary>The run, or null when nothing was started under this id.</summary>
    [Alias("Get")]
    Task<WorkflowView?> GetAsync();

    /// <summary>Status and task counts only, or null when nothing was started under this id.</summary>
    [Alias("GetSummary"), ReadOnly]
    Task<WorkflowSummary?> GetSummaryAsync();

    /// <summary>The plan the run was started with, or null when nothing was started under this id.</summary>
    [Alias("GetPlan"), ReadOnly]
    Task<WorkflowPlan?> GetPlanAsync();

    [Alias("Cancel")]
    Task<WorkflowView> CancelAsync();

    /// <summary>Gives a dead-lettered task a fresh set of attempts.</summary>
    [Alias("RetryTask")]
    Task<WorkflowView> RetryTaskAsync(string taskId);

    /// <summary>An agent pool reports how attempts ended. One-way: a pool never waits on a workflow.</summary>
    [Alias("Report"), OneWay]
    Task ReportAsync(TaskOutcome[] outcomes);
}
