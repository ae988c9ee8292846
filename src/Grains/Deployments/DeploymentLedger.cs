using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Rollouts;

namespace Aviary.Grains.Deployments;

/// <summary>
/// The deployment's rules, pure: what a deploy does, how a rollout's outcome changes the stable
/// version, what undo restores.
/// </summary>
public static class DeploymentLedger
{
    /// <summary>The first version becomes stable; a later one reserves the next rollout id.</summary>
    public static DeploymentState Deploy(DeploymentState state, string service, string version, DateTimeOffset now, out string? rolloutId)
    {
        if (!state.Exists)
        {
            rolloutId = null;
            return state with
            {
                StableVersion = version,
                Releases = [new ReleaseRecord { Version = version, Outcome = ReleaseOutcome.Initial, StartedAt = now, EndedAt = now }],
            };
        }
        if (state.ActiveRolloutId is not null)
            throw new AviaryConflictException("service",
                $"'{service}' is already rolling out {state.CanaryVersion} ({state.ActiveRolloutId}); promote, abort or wait for it to end");
        if (version == state.StableVersion)
            throw new AviaryValidationException("version", $"'{version}' is already the stable version of '{service}'");

        rolloutId = $"{service}/{state.RolloutsStarted + 1}";
        return state with
        {
            ActiveRolloutId = rolloutId,
            CanaryVersion = version,
            CanaryWeight = 0,
            RolloutsStarted = state.RolloutsStarted + 1,
            Releases = BoundedHistory.Append(state.Releases,
                new ReleaseRecord { Version = version, RolloutId = rolloutId, Outcome = ReleaseOutcome.InProgress, StartedAt = now },
                DeploymentState.MaxReleases),
        };
    }

    /// <summary>
    /// Folds a rollout's reported status into the deployment. Reports from any other rollout than
    /// the active one are stale and change nothing (the same state instance is returned).
    /// </summary>
    public static DeploymentState Apply(DeploymentState state, RolloutUpdate update)
    {
        if (update.RolloutId != state.ActiveRolloutId)
            return state;
        if (!update.Status.IsFinal())
            return update.Weight == state.CanaryWeight ? state : state with { CanaryWeight = update.Weight };

        var outcome = update.Status switch
        {
            RolloutStatus.Succeeded => ReleaseOutcome.Succeeded,
            RolloutStatus.RolledBack => ReleaseOutcome.RolledBack,
            _ => ReleaseOutcome.Aborted,
        };
        var releases = state.Releases
            .Select(r => r.RolloutId == update.RolloutId ? r with { Outcome = outcome, EndedAt = update.At } : r)
            .ToArray();
        var ended = state with { ActiveRolloutId = null, CanaryVersion = null, CanaryWeight = 0, Releases = releases };
        return outcome != ReleaseOutcome.Succeeded
            ? ended
            : ended with
            {
                StableVersion = update.Version,
                PreviousStables = BoundedHistory.Append(state.PreviousStables, state.StableVersion, DeploymentState.MaxPreviousStables),
            };
    }

    /// <summary>Restores the stable version that the last successful rollout replaced.</summary>
    public static DeploymentState Undo(DeploymentState state, string service, DateTimeOffset now)
    {
        if (!state.Exists)
            throw new AviaryNotFoundException("service", $"no deployment named '{service}'");
        if (state.ActiveRolloutId is not null)
            throw new AviaryConflictException("service", $"'{service}' is rolling out {state.CanaryVersion}; abort it instead of undoing");
        if (state.PreviousStables.Length == 0)
            throw new AviaryConflictException("service", $"'{service}' has no previous stable version to restore");

        var restored = state.PreviousStables[^1];
        return state with
        {
            StableVersion = restored,
            PreviousStables = state.PreviousStables[..^1],
            Releases = BoundedHistory.Append(state.Releases,
                new ReleaseRecord { Version = restored, Outcome = ReleaseOutcome.Undone, StartedAt = now, EndedAt = now },
                DeploymentState.MaxReleases),
        };
    }

    public static DeploymentView Describe(string service, DeploymentState state) => new()
    {
        Service = service,
        StableVersion = state.StableVersion,
        ActiveRolloutId = state.ActiveRolloutId,
        CanaryVersion = state.CanaryVersion,
        CanaryWeight = state.CanaryWeight,
        Releases = state.Releases,
        PreviousStableVersion = state.PreviousStables.Length == 0 ? null : state.PreviousStables[^1],
    };
}
