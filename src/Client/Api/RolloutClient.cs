using Aviary.Client.Cli;
using Aviary.Deployments;
using Aviary.Metrics;
using Aviary.Rollouts;
using Aviary.Routes;

namespace Aviary.Client.Api;

/// <summary>
/// Deployments, rollouts and gateway services through the silo's HTTP API: the same verbs the
/// silo's <see cref="RolloutOperations"/> offers, for the console.
/// </summary>
public sealed class RolloutClient(ApiConnection api)
{
    private static string S(string segment) => Uri.EscapeDataString(segment);

    public async Task<DeployResult> DeployAsync(string service, string version, RolloutPolicy policy, string[]? destinations = null, CancellationToken cancellationToken = default) =>
        await DeployAsync(service, version, policy, destinations, [], null, cancellationToken);

    /// <summary>A deploy under the guardrails: <paramref name="after"/> names releases it waits for, <paramref name="freezeOverride"/> is an admin's reason to deploy in a freeze.</summary>
    public async Task<DeployResult> DeployAsync(string service, string version, RolloutPolicy policy, string[]? destinations, string[] after, string? freezeOverride, CancellationToken cancellationToken = default) =>
        await api.PostAsync<DeployResult>($"/api/deployments/{S(service)}/versions/{S(version)}", new
        {
            policy.Strategy,
            policy.Stages,
            Bake = policy.BakeTime,
            Interval = policy.CheckInterval,
            policy.MaxErrorRate,
            policy.MaxP95,
            policy.MinSamples,
            policy.FailureLimit,
            policy.InconclusiveLimit,
            policy.Gates,
            To = destinations is { Length: > 0 } ? destinations : null,
            policy.Analysis,
            policy.Confidence,
            policy.Tolerance,
            policy.DryRun,
            policy.Rules,
            policy.Iterations,
            policy.AutoPromote,
            policy.SwitchBackWindow,
            policy.PreviewHeader,
            policy.MirrorPercent,
            policy.MirrorAllMethods,
            policy.MaxMismatchRate,
            After = after.Length > 0 ? after : null,
            FreezeOverride = freezeOverride,
        }, cancellationToken);

    public Task<RolloutView> ApproveAsync(string service, CancellationToken cancellationToken = default) =>
        api.PostAsync<RolloutView>($"/api/deployments/{S(service)}/approve", null, cancellationToken);

    public Task<Guardrails.ReleaseQueueView> QueueAsync(CancellationToken cancellationToken = default) =>
        api.GetAsync<Guardrails.ReleaseQueueView>("/api/queue", cancellationToken);

    public Task<DeploymentView> WithdrawAsync(string service, string reason, CancellationToken cancellationToken = default) =>
        api.DeleteAsync<DeploymentView>($"/api/queue/{S(service)}?reason={S(reason)}", cancellationToken);

    public Task<Guardrails.GuardrailPolicy> GetGuardrailsAsync(CancellationToken cancellationToken = default) =>
        api.GetAsync<Guardrails.GuardrailPolicy>("/api/guardrails", cancellationToken);

    public Task<Guardrails.GuardrailPolicy> SetGuardrailsAsync(Guardrails.GuardrailPolicy policy, CancellationToken cancellationToken = default) =>
        api.PutAsync<Guardrails.GuardrailPolicy>("/api/guardrails", policy, cancellationToken);

    public async Task<DeploymentView> ConfigureServiceAsync(string service, ServiceRouting routing, CancellationToken cancellationToken = default)
    {
        await api.PutAsync<System.Text.Json.JsonElement>($"/api/services/{S(service)}",
            new { routing.Hosts, routing.PathPrefix, routing.StickyHeader, routing.StickyCookie }, cancellationToken);
        return await GetDeploymentAsync(service, cancellationToken);
    }

    public async Task<DeploymentView> SplitAsync(string service, SplitShare[] split, VersionTarget[] destinations, CancellationToken cancellationToken = default)
    {
        if (split.Length == 0 && destinations.Length == 0)
            await api.DeleteAsync($"/api/services/{S(service)}/split", cancellationToken);
        else
            await api.PutAsync<System.Text.Json.JsonElement>($"/api/services/{S(service)}/split", new { split, to = destinations }, cancellationToken);
        return await GetDeploymentAsync(service, cancellationToken);
    }

    public Task RemoveServiceAsync(string service, CancellationToken cancellationToken = default) =>
        api.DeleteAsync($"/api/services/{S(service)}", cancellationToken);

    public async Task<DeploymentView> GetDeploymentAsync(string service, CancellationToken cancellationToken = default)
    {
        Identifiers.ValidateService(service);
        return (await StatusAsync(service, cancellationToken)).Deployment;
    }

    public Task<DeploymentView[]> ListAsync(CancellationToken cancellationToken = default) =>
        api.GetAsync<DeploymentView[]>("/api/deployments", cancellationToken);

    /// <summary>The active rollout, or else the most recent one; null when the service never had one.</summary>
    public async Task<RolloutView?> GetLatestRolloutAsync(string service, CancellationToken cancellationToken = default)
    {
        Identifiers.ValidateService(service);
        return (await StatusAsync(service, cancellationToken)).Rollout;
    }

    /// <summary>A rollout by its id (<c>service/number</c>).</summary>
    public Task<RolloutView> GetRolloutAsync(string rolloutId, CancellationToken cancellationToken = default)
    {
        var slash = rolloutId.LastIndexOf('/');
        if (slash <= 0)
            throw new Aviary.Errors.AviaryValidationException("rollout", $"must be service/number (got '{rolloutId}')");
        return api.GetAsync<RolloutView>($"/api/deployments/{S(rolloutId[..slash])}/rollouts/{S(rolloutId[(slash + 1)..])}", cancellationToken);
    }

    /// <summary>Two versions of a service over the last <paramref name="window"/>.</summary>
    public Task<MetricsComparison> CompareAsync(string service, string canary, string stable, TimeSpan window, CancellationToken cancellationToken = default) =>
        api.GetAsync<MetricsComparison>(
            $"/api/deployments/{S(service)}/metrics?canary={S(canary)}&stable={S(stable)}&window={window.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}s",
            cancellationToken);

    /// <summary>Request outcomes for a version, as a gateway reports them.</summary>
    public Task<System.Text.Json.JsonElement> PostSamplesAsync(string service, string version, IReadOnlyList<Sample> samples, CancellationToken cancellationToken = default) =>
        api.PostAsync<System.Text.Json.JsonElement>($"/api/deployments/{S(service)}/versions/{S(version)}/samples",
            samples.Select(s => new { ok = s.Ok, latencyMs = s.LatencyMs }).ToArray(), cancellationToken);

    public Task<RolloutView> PromoteAsync(string service, bool full, CancellationToken cancellationToken = default) =>
        api.PostAsync<RolloutView>($"/api/deployments/{S(service)}/promote?full={(full ? "true" : "false")}", null, cancellationToken);

    public Task<RolloutView> PauseAsync(string service, string reason, CancellationToken cancellationToken = default) =>
        api.PostAsync<RolloutView>($"/api/deployments/{S(service)}/pause?reason={S(reason)}", null, cancellationToken);

    public Task<RolloutView> ResumeAsync(string service, CancellationToken cancellationToken = default) =>
        api.PostAsync<RolloutView>($"/api/deployments/{S(service)}/resume", null, cancellationToken);

    public Task<RolloutView> AbortAsync(string service, string reason, CancellationToken cancellationToken = default) =>
        api.PostAsync<RolloutView>($"/api/deployments/{S(service)}/abort?reason={S(reason)}", null, cancellationToken);

    public Task<DeploymentView> UndoAsync(string service, CancellationToken cancellationToken = default) =>
        api.PostAsync<DeploymentView>($"/api/deployments/{S(service)}/undo", null, cancellationToken);

    private Task<DeploymentStatus> StatusAsync(string service, CancellationToken cancellationToken) =>
        api.GetAsync<DeploymentStatus>($"/api/deployments/{S(service)}", cancellationToken);

    private sealed record DeploymentStatus(DeploymentView Deployment, RolloutView? Rollout);
}
