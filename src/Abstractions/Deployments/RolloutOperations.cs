using Aviary.Errors;
using Aviary.Rollouts;
using Aviary.Routes;

namespace Aviary.Deployments;

/// <summary>
/// The operator's verbs by service name, shared by the console and the HTTP API: validates input,
/// finds the service's active rollout and sends it the command.
/// </summary>
public sealed class RolloutOperations(IGrainFactory grains)
{
    public Task<DeployResult> DeployAsync(string service, string version, RolloutPolicy policy, string[]? destinations = null)
    {
        Identifiers.ValidateService(service);
        Identifiers.ValidateVersion(version);
        RouteValidator.ValidateDestinations(destinations);
        RolloutPolicyValidator.Validate(policy);
        return grains.GetGrain<IDeploymentGrain>(service).DeployToAsync(version, destinations ?? [], policy);
    }

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
            ?? deployment.Releases.LastOrDefault(r => r.RolloutId is not null)?.RolloutId;
        return id is null ? null : await grains.GetGrain<IRolloutGrain>(id).GetAsync();
    }

    public async Task<RolloutView> PromoteAsync(string service, bool full) =>
        await (await ActiveRolloutAsync(service)).PromoteAsync(full);

    public async Task<RolloutView> PauseAsync(string service, string reason) =>
        await (await ActiveRolloutAsync(service)).PauseAsync(reason);

    public async Task<RolloutView> ResumeAsync(string service) =>
        await (await ActiveRolloutAsync(service)).ResumeAsync();

    public async Task<RolloutView> AbortAsync(string service, string reason) =>
        await (await ActiveRolloutAsync(service)).AbortAsync(reason);

    public Task<DeploymentView> UndoAsync(string service)
    {
        Identifiers.ValidateService(service);
        return grains.GetGrain<IDeploymentGrain>(service).UndoAsync();
    }

    private async Task<IRolloutGrain> ActiveRolloutAsync(string service)
    {
        var deployment = await GetDeploymentAsync(service);
        if (deployment.ActiveRolloutId is null)
            throw new AviaryConflictException("service", $"'{service}' has no active rollout");
        return grains.GetGrain<IRolloutGrain>(deployment.ActiveRolloutId);
    }
}
