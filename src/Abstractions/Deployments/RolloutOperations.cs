using Aviary.Errors;
using Aviary.Guardrails;
using Aviary.Rollouts;
using Aviary.Routes;

namespace Aviary.Deployments;

/// <summary>
/// The operator's verbs by service name, shared by the console and the HTTP API: validates input,
/// finds the service's active rollout and sends it the command.
/// </summary>
public sealed class RolloutOperations(IGrainFactory grains)
{
    public Task<DeployResult> DeployAsync(string service, string version, RolloutPolicy policy, string[]? destinations = null) =>
        DeployAsync(service, new DeployCommand { Version = version, Policy = policy, Destinations = destinations ?? [] });

    /// <summary>Deploys under the release guardrails: starts now, queues, or is refused naming the rule.</summary>
    public Task<DeployResult> DeployAsync(string service, DeployCommand command)
    {
        Identifiers.ValidateService(service);
        Identifiers.ValidateVersion(command.Version);
        RouteValidator.ValidateDestinations(command.Destinations);
        RolloutPolicyValidator.Validate(command.Policy);
        if (command.Policy.RequiredApprovals != 0)
            throw new AviaryValidationException("requiredApprovals", "is set by the guardrails' approval rules, not by a deploy");
        return grains.GetGrain<IDeploymentGrain>(service).DeployAsync(command);
    }

    /// <summary>The release guardrails in force.</summary>
    public Task<GuardrailPolicy> GetGuardrailsAsync() =>
        grains.GetGrain<IReleaseGuardGrain>(IReleaseGuardGrain.Key).GetPolicyAsync();

    public Task<GuardrailPolicy> SetGuardrailsAsync(GuardrailPolicy? policy) =>
        grains.GetGrain<IReleaseGuardGrain>(IReleaseGuardGrain.Key).SetPolicyAsync(GuardrailPolicyValidator.Validate(policy));

    /// <summary>Rollouts holding slots and deploys waiting, in order.</summary>
    public Task<ReleaseQueueView> QueueAsync() =>
        grains.GetGrain<IReleaseGuardGrain>(IReleaseGuardGrain.Key).GetQueueAsync();

    /// <summary><paramref name="approver"/> approves the active rollout leaving its first stage.</summary>
    public async Task<RolloutView> ApproveAsync(string service, string approver) =>
        await (await ActiveRolloutAsync(service)).ApproveAsync(approver);

    /// <summary>Adds <paramref name="service"/>, or changes how the gateway finds its requests.</summary>
    public Task<DeploymentView> ConfigureServiceAsync(string service, ServiceRouting routing)
    {
        Identifiers.ValidateService(service);
        RouteValidator.Validate(routing);
        return grains.GetGrain<IDeploymentGrain>(service).ConfigureAsync(routing);
    }

    /// <summary>A fixed split across versions, or none (<paramref name="split"/> empty).</summary>
    public Task<DeploymentView> SplitAsync(string service, SplitShare[] split, VersionTarget[] destinations)
    {
        Identifiers.ValidateService(service);
        foreach (var target in destinations)
            RouteValidator.ValidateDestinations(target.Destinations);
        return grains.GetGrain<IDeploymentGrain>(service).SetSplitAsync(split, destinations);
    }

    public Task RemoveServiceAsync(string service)
    {
        Identifiers.ValidateService(service);
        return grains.GetGrain<IDeploymentGrain>(service).RemoveAsync();
    }

    public async Task<DeploymentView> GetDeploymentAsync(string service)
    {
        Identifiers.ValidateService(service);
        return await grains.GetGrain<IDeploymentGrain>(service).GetAsync()
            ?? throw new AviaryNotFoundException("service", $"no deployment named '{service}'");
    }

    public async Task<DeploymentView[]> ListAsync()
    {
        var names = await grains.GetGrain<IDeploymentRegistryGrain>(IDeploymentRegistryGrain.Key).ListAsync();
        var views = await Task.WhenAll(names.Select(n => grains.GetGrain<IDeploymentGrain>(n).GetAsync()));
        return views.OfType<DeploymentView>().OrderBy(v => v.Service, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The active rollout, or else the most recent one; null when the service never had one.</summary>
    public async Task<RolloutView?> GetLatestRolloutAsync(string service)
    {
        var deployment = await GetDeploymentAsync(service);
        var id = deployment.ActiveRolloutId
            ?? deployment.Releases.LastOrDefault(r => r.RolloutId is not null && r.Outcome is not (ReleaseOutcome.Queued or ReleaseOutcome.Cancelled))?.RolloutId;
        return id is null ? null : await grains.GetGrain<IRolloutGrain>(id).GetAsync();
    }

    public async Task<RolloutView> PromoteAsync(string service, bool full) =>
        await (await ActiveRolloutAsync(service)).PromoteAsync(full);

    public async Task<RolloutView> PauseAsync(string service, string reason) =>
        await (await ActiveRolloutAsync(service)).PauseAsync(Identifiers.ValidateReason(reason));

    public async Task<RolloutView> ResumeAsync(string service) =>
        await (await ActiveRolloutAsync(service)).ResumeAsync();

    public async Task<RolloutView> AbortAsync(string service, string reason) =>
        await (await ActiveRolloutAsync(service)).AbortAsync(Identifiers.ValidateReason(reason));

    /// <summary>Withdraws the deploy of <paramref name="service"/> waiting in the release queue.</summary>
    public Task<DeploymentView> WithdrawAsync(string service, string reason)
    {
        Identifiers.ValidateService(service);
        return grains.GetGrain<IDeploymentGrain>(service).WithdrawAsync(Identifiers.ValidateReason(reason));
    }

    public Task<DeploymentView> UndoAsync(string service)
    {
        Identifiers.ValidateService(service);
        return grains.GetGrain<IDeploymentGrain>(service).UndoAsync();
    }

    private async Task<IRolloutGrain> ActiveRolloutAsync(string service)
    {
        var deployment = await GetDeploymentAsync(service);
        if (deployment.ActiveRolloutId is null)
            throw new AviaryConflictException("service", deployment.Queued is { } queued
                ? $"'{service}' has no active rollout: {queued.Version} waits in the release queue ({queued.RolloutId}); withdraw it with aviary queue withdraw {service}"
                : $"'{service}' has no active rollout");
        return grains.GetGrain<IRolloutGrain>(deployment.ActiveRolloutId);
    }
}
