using Aviary.Client.Cli;
using Aviary.Workflows;

namespace Aviary.Client.Api;

/// <summary>Workflow runs, dead letters and agent pools through the silo's HTTP API (as the silo's <see cref="WorkflowOperations"/>).</summary>
public sealed class WorkflowClient(ApiConnection api)
{
    private static string S(string segment) => Uri.EscapeDataString(segment);

    /// <summary>Starts run <paramref name="runId"/> of a plan (sent as YAML; the silo checks it again).</summary>
    public Task<WorkflowView> StartAsync(string runId, WorkflowPlan plan, CancellationToken cancellationToken = default) =>
        api.PostTextAsync<WorkflowView>($"/api/workflows/{S(runId)}", PlanFile.ToYaml(plan), "application/yaml", cancellationToken);

    public Task<WorkflowView> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        Identifiers.ValidateRunId(runId, "run");
        return api.GetAsync<WorkflowView>($"/api/workflows/{S(runId)}", cancellationToken);
    }

    public Task<WorkflowView[]> ListAsync(CancellationToken cancellationToken = default) =>
        api.GetAsync<WorkflowView[]>("/api/workflows", cancellationToken);

    public Task<WorkflowView> CancelAsync(string runId, CancellationToken cancellationToken = default)
    {
        Identifiers.ValidateRunId(runId, "run");
        return api.PostAsync<WorkflowView>($"/api/workflows/{S(runId)}/cancel", null, cancellationToken);
    }

    public Task<DeadLetter[]> DeadLettersAsync(CancellationToken cancellationToken = default) =>
        api.GetAsync<DeadLetter[]>("/api/deadletters", cancellationToken);

    public Task<DeadLetter> DeadLetterAsync(string key, CancellationToken cancellationToken = default) =>
        api.GetAsync<DeadLetter>($"/api/deadletters/{S(key)}", cancellationToken);

    public Task<DeadLetterRetryResult> RetryDeadLettersAsync(string? key, bool all, CancellationToken cancellationToken = default)
    {
        if (all)
            return api.PostAsync<DeadLetterRetryResult>("/api/deadletters/retry", null, cancellationToken);
        if (key is not { Length: > 0 })
            throw new Aviary.Errors.AviaryValidationException("key", "give run:task, or all");
        return api.PostAsync<DeadLetterRetryResult>($"/api/deadletters/{S(key)}/retry", null, cancellationToken);
    }

    public async Task<int> PurgeDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        var result = await api.DeleteAsync<PurgeResult>("/api/deadletters", cancellationToken);
        return result.Purged;
    }

    public Task<AgentPoolView[]> AgentPoolsAsync(CancellationToken cancellationToken = default) =>
        api.GetAsync<AgentPoolView[]>("/api/agents", cancellationToken);

    private sealed record PurgeResult(int Purged);
}
