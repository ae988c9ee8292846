using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Grains.Webhooks;
using Aviary.Webhooks;

namespace Aviary.Silo.Webhooks;

/// <summary>
/// <c>rollout.starting</c>: before a deploy that would start a rollout, its gating hooks are asked;
/// a refusal or no answer refuses the deploy with a conflict naming the hook and its answer.
/// A first version (it becomes stable at once) starts no rollout and asks nobody.
/// </summary>
public sealed class RolloutStartGate(IWebhookGate gate, IGrainFactory grains, TimeProvider time)
{
    public async Task CheckAsync(string service, string version)
    {
        Identifiers.ValidateService(service);
        Identifiers.ValidateVersion(version);
        var deployment = await grains.GetGrain<IDeploymentGrain>(service).GetAsync();
        // No rollout would start: the deploy itself says why (or makes the version stable).
        if (deployment is null || deployment.StableVersion.Length == 0 || deployment.StableVersion == version
            || deployment.ActiveRolloutId is not null || deployment.Split.Length > 0)
            return;
        var answer = await gate.AskAsync(new WebhookNotice
        {
            Id = Guid.NewGuid().ToString("N"),
            Event = WebhookEvents.RolloutStarting,
            At = time.GetUtcNow(),
            Service = service,
            Version = version,
            StableVersion = deployment.StableVersion,
            Status = "pending",
            Message = $"{service}: may {version} start a rollout over {deployment.StableVersion}?",
        });
        if (!answer.Passed)
            throw new AviaryConflictException("webhook", $"deploy refused: {answer.Reason}");
    }
}
