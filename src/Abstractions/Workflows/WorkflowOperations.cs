using Aviary.Errors;

namespace Aviary.Workflows;

/// <summary>
/// Workflow runs, dead letters and agent pools by name, shared by the console and the HTTP API:
/// validates input, finds the grain, and turns "nothing there" into a not-found naming the field.
/// </summary>
public sealed class WorkflowOperations(IGrainFactory grains)
{
    /// <summary>Validates the plan (and the run id) and starts it; starting the same run again answers the run as it is.</summary>
    public Task<WorkflowView> StartAsync(string runId, WorkflowPlan plan)
    {
        Identifiers.ValidateRunId(runId, "run");
        return grains.GetGrain<IWorkflowGrain>(runId).StartAsync(PlanValidator.Validate(plan));
    }

    public async Task<bool> ExistsAsync(string runId) =>
        await grains.GetGrain<IWorkflowGrain>(Identifiers.ValidateRunId(runId, "run")).GetSummaryAsync() is not null;

    public async Task<WorkflowView> GetAsync(string runId)
    {
        Identifiers.ValidateRunId(runId, "run");
        return await grains.GetGrain<IWorkflowGrain>(runId).GetAsync() ?? throw new AviaryNotFoundException("run", $"no workflow run '{runId}'");
    }

    /// <summary>The plan run <paramref name="runId"/> was started with.</summary>
    public async Task<WorkflowPlan> GetPlanAsync(string runId)
    {
        Identifiers.ValidateRunId(runId, "run");
        return await grains.GetGrain<IWorkflowGrain>(runId).GetPlanAsync() ?? throw new AviaryNotFoundException("run", $"no workflow run '{runId}'");
    }

    /// <summary>The most recent runs, newest last.</summary>
    public async Task<WorkflowView[]> ListAsync()
    {
        var ids = await grains.GetGrain<IWorkflowRegistryGrain>(IWorkflowRegistryGrain.Key).ListAsync();
        return (await Task.WhenAll(ids.Select(i => grains.GetGrain<IWorkflowGrain>(i).GetAsync()))).OfType<WorkflowView>().ToArray();
    }

    public async Task<WorkflowView> CancelAsync(string runId)
    {
        await GetAsync(runId);
        return await grains.GetGrain<IWorkflowGrain>(runId).CancelAsync();
    }

    public Task<DeadLetter[]> DeadLettersAsync() => Queue.ListAsync();

    public async Task<DeadLetter> DeadLetterAsync(string key) =>
        await Queue.GetAsync(key) ?? throw new AviaryNotFoundException("key", $"no dead-lettered task '{key}'");

    /// <summary>
    /// Gives dead-lettered tasks a fresh set of attempts in their runs, and takes them off the
    /// queue. With <paramref name="all"/>, every entry, and one that cannot be retried (its run was
    /// cancelled) does not stop the rest: it is reported instead.
    /// </summary>
    public async Task<DeadLetterRetryResult> RetryDeadLettersAsync(string? key, bool all)
    {
        var keys = all
            ? (await Queue.ListAsync()).Select(e => e.Key).ToArray()
            : [key is { Length: > 0 } ? key : throw new AviaryValidationException("key", "give run:task, or all")];
        var retried = new List<string>();
        var refused = new List<DeadLetterRetryRefusal>();
        foreach (var each in keys)
        {
            var entry = await DeadLetterAsync(each);
            try
            {
                await grains.GetGrain<IWorkflowGrain>(entry.RunId).RetryTaskAsync(entry.TaskId);
            }
            catch (Exception ex) when (all && ex is AviaryConflictException or AviaryNotFoundException)
            {
                refused.Add(new DeadLetterRetryRefusal(each, ex.Message));
                continue;
            }
            await Queue.RemoveAsync(each);
            retried.Add(each);
        }
        return new DeadLetterRetryResult(retried, refused);
    }

    public Task<int> PurgeDeadLettersAsync() => Queue.PurgeAsync();

    /// <summary>Every agent pool: workers, queue, breaker, cost.</summary>
    public Task<AgentPoolView[]> AgentPoolsAsync() =>
        Task.WhenAll(AgentKinds.All.Order().Select(k => grains.GetGrain<IAgentPoolGrain>(k).GetAsync()));

    private IDeadLetterGrain Queue => grains.GetGrain<IDeadLetterGrain>(IDeadLetterGrain.Key);
}

/// <summary>What a retry of dead letters did: the keys retried, and (retrying all) those that could not be.</summary>
public sealed record DeadLetterRetryResult(IReadOnlyList<string> Retried, IReadOnlyList<DeadLetterRetryRefusal> NotRetried);

public sealed record DeadLetterRetryRefusal(string Key, string Reason);
