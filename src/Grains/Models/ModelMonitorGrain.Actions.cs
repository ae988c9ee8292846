using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Grains.Webhooks;
using Aviary.Models;
using Aviary.Rollouts;
using Aviary.Workflows;
using Microsoft.Extensions.Logging;

namespace Aviary.Grains.Models;

/// <summary>What a monitor check does once its state is stored: start runs, register, roll out, abort, roll back, move aliases, tell.</summary>
public sealed partial class ModelMonitorGrain
{
    private async Task ActAsync(ModelView model, MonitorAction action)
    {
        var policy = model.Policy;
        var service = policy.ServiceFor(Model);
        switch (action)
        {
            case MonitorAction.StartRetrain start:
                var deployment = await Operations.GetDeploymentAsync(service);
                var plan = RetrainPlans.Resolve(policy.RetrainPlan!, policy.RetrainInput, model.Find(deployment.StableVersion));
                await GrainFactory.GetGrain<IWorkflowGrain>(start.RunId).StartAsync(plan);
                break;
            case MonitorAction.RegisterCandidate register:
                await RegisterAndRollOutAsync(model, register);
                break;
            case MonitorAction.AbortCandidate abort:
                await TryAsync(() => Operations.AbortAsync(service, abort.Reason), $"abort the rollout of {store.State.Candidate}");
                break;
            case MonitorAction.Rollback rollback:
                await RollbackAsync(policy, service, rollback);
                break;
            case MonitorAction.EndChallenge end:
                await EndChallengeAsync(policy, service, end);
                break;
            case MonitorAction.SetChampion champion:
                await GrainFactory.GetGrain<IModelGrain>(Model).SetAliasAsync(ModelAliases.Champion, champion.Version, By, champion.Reason);
                break;
            case MonitorAction.Tell tell:
                await TellAsync(service, tell.Kind, tell.Version, tell.Message);
                break;
        }
    }

    /// <summary>Registers the retrained version, scores it against the serving one on its held-out rows, and rolls it out when it is better by the margin.</summary>
    private async Task RegisterAndRollOutAsync(ModelView model, MonitorAction.RegisterCandidate register)
    {
        var policy = model.Policy;
        var service = policy.ServiceFor(Model);
        var (draft, reference) = await artifacts.ReadCardAsync(register.Card);
        var registered = await GrainFactory.GetGrain<IModelGrain>(Model).RegisterAsync(
            draft with { RegisteredBy = By, Reason = $"retrained by run {register.Run} on {store.State.RetrainReason}" }, reference);
        var deployment = await Operations.GetDeploymentAsync(service);
        if (model.Find(deployment.StableVersion) is not { } serving)
        {
            await TellAsync(service, ModelEventKind.RetrainNotBetter, registered.Version, $"{registered.Version} registered; {service} serves no registered version to compare it with, so it is not rolled out");
            return;
        }
        var comparison = await artifacts.CompareAsync(Model, serving, registered, policy.Margin, null);
        if (!comparison.ChallengerBetter)
        {
            await TellAsync(service, ModelEventKind.RetrainNotBetter, registered.Version, $"{registered.Version} is not rolled out: {comparison.Reason}");
            return;
        }
        var destination = ModelServing.Destination(policy.ServingUrl, registered.Version);
        if (policy.Rollout == ModelRollouts.Challenger)
        {
            await store.WriteOrRevertAsync(store.State with { Phase = ModelPhases.Challenger, Candidate = registered.Version, RolloutId = null });
            await Operations.SplitAsync(service,
                [new() { Version = serving.Version, Weight = 100 - policy.ChallengerWeight }, new() { Version = registered.Version, Weight = policy.ChallengerWeight }],
                [new() { Version = registered.Version, Destinations = [destination] }]);
            await TellAsync(service, ModelEventKind.RolloutStarted, registered.Version,
                $"{registered.Version} challenges {serving.Version} on {policy.ChallengerWeight} % of users: {comparison.Reason}");
            return;
        }
        var rolloutPolicy = ModelServing.RolloutPolicy(policy);
        // The phase is stored before the deploy: a crash between the two is found at the next check (no rollout of the candidate).
        await store.WriteOrRevertAsync(store.State with
        {
            Phase = rolloutPolicy.HasShadowStage ? ModelPhases.Shadow : ModelPhases.Canary,
            Candidate = registered.Version,
            RolloutId = null,
        });
        var result = await Operations.DeployAsync(service, new DeployCommand
        {
            Version = registered.Version,
            Destinations = [destination],
            Policy = rolloutPolicy,
            RequestedBy = By,
        });
        await store.WriteOrRevertAsync(store.State with { RolloutId = result.Rollout?.RolloutId ?? result.Deployment.Queued?.RolloutId });
        await TellAsync(service, ModelEventKind.RolloutStarted, registered.Version,
            $"{registered.Version} rolling out ({(rolloutPolicy.HasShadowStage ? "shadow, then canary" : "canary")}, rollout {store.State.RolloutId}): {comparison.Reason}");
    }

    private async Task RollbackAsync(ModelPolicy policy, string service, MonitorAction.Rollback rollback)
    {
        var deployment = await Operations.GetDeploymentAsync(service);
        if (deployment.ActiveRolloutId is not null)
            await TryAsync(() => Operations.AbortAsync(service, rollback.Reason), "abort the rollout in progress");
        await TryAsync(() => Operations.DeployAsync(service, new DeployCommand
        {
            Version = rollback.Version,
            Destinations = string.IsNullOrEmpty(policy.ServingUrl) ? [] : [ModelServing.Destination(policy.ServingUrl, rollback.Version)],
            Policy = RolloutPolicy.Default with { Stages = [100] },
            RequestedBy = By,
        }), $"put {rollback.Version} back");
        await GrainFactory.GetGrain<IModelGrain>(Model).SetAliasAsync(ModelAliases.Champion, rollback.Version, By, rollback.Reason);
    }

    private async Task EndChallengeAsync(ModelPolicy policy, string service, MonitorAction.EndChallenge end)
    {
        var challenger = end.Challenger;
        await Operations.SplitAsync(service, [], []);
        if (!end.ChallengerWon)
            return;
        await TryAsync(() => Operations.DeployAsync(service, new DeployCommand
        {
            Version = challenger,
            Destinations = [ModelServing.Destination(policy.ServingUrl, challenger)],
            Policy = RolloutPolicy.Default with { Stages = [100] },
            RequestedBy = By,
        }), $"make {challenger} the serving version");
    }

    private async Task TellAsync(string service, ModelEventKind kind, string? version, string message)
    {
        var evt = new ModelEvent { Model = Model, Kind = kind, Version = version, At = clock.Now, By = By, Message = message };
        LogAction(logger, Model, kind, message);
        await GrainFactory.GetGrain<IModelGrain>(Model).RecordAsync(evt);
        await audit.RecordAsync(evt, service);
        await WebhookPublishing.TryPublishAsync(GrainFactory, ModelNotices.Of(evt, service), logger);
    }

    /// <summary>An action refused by the cluster (a freeze, a conflict) is noted and told, never thrown out of the check.</summary>
    private async Task TryAsync(Func<Task> act, string what)
    {
        try
        {
            await act();
        }
        catch (Exception ex) when (ex is AviaryConflictException or AviaryValidationException or AviaryNotFoundException or AviaryForbiddenException)
        {
            LogActionRefused(logger, Model, what, ex.Message);
            _last = _last with { Note = $"could not {what}: {ex.Message}" };
        }
    }
}
