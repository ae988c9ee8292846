using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Guardrails;

namespace Aviary.Grains.Deployments;

/// <summary>
/// What a deploy's <c>after</c> names, made exact from the services' deployments: a bare service
/// means its rollout in flight or queued; a version already stable needs no waiting; a version whose
/// last release failed is refused. Releases not deployed yet are waited for (the guard refuses cycles).
/// </summary>
public static class ReleaseDependencies
{
    public static async Task<ReleaseRef[]> ResolveAsync(IGrainFactory grains, string service, ReleaseRef[] after)
    {
        if (after.Length > DeployCommand.MaxAfter)
            throw new AviaryValidationException("after", $"at most {DeployCommand.MaxAfter} releases");
        var resolved = new List<ReleaseRef>();
        foreach (var wanted in after)
        {
            if (wanted.Service == service)
                throw new AviaryValidationException("after", $"a rollout of '{service}' cannot wait for its own service");
            // Deployments never call each other otherwise, so this read cannot wait on a call back.
            var other = await grains.GetGrain<IDeploymentGrain>(wanted.Service).GetAsync()
                ?? throw new AviaryValidationException("after", $"no service named '{wanted.Service}'");
            var version = wanted.Version
                ?? other.CanaryVersion
                ?? other.Queued?.Version
                ?? throw new AviaryConflictException("after", $"'{wanted.Service}' has no rollout in flight or queued; name a version ({wanted.Service}@v2) to wait for one not deployed yet");
            if (other.StableVersion == version && other.CanaryVersion != version)
                continue;
            var last = other.Releases.LastOrDefault(r => r.Version == version);
            if (last?.Outcome is ReleaseOutcome.RolledBack or ReleaseOutcome.Aborted or ReleaseOutcome.Cancelled && other.CanaryVersion != version && other.Queued?.Version != version)
                throw new AviaryConflictException("after", $"{wanted.Service}@{version} ended {last.Outcome.ToString().ToLowerInvariant()}; nothing waits for it");
            var exact = new ReleaseRef { Service = wanted.Service, Version = version };
            if (!resolved.Contains(exact))
                resolved.Add(exact);
        }
        return [.. resolved];
    }
}
