using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Guardrails;
using Aviary.Rollouts;
using Aviary.Routes;

namespace Aviary.Grains.Deployments;

/// <summary>
/// A service's releases, pure: what a deploy does (queued, then started), how a rollout's outcome
/// changes the stable version, what undo restores. The route it implies is
/// <see cref="DeploymentRoute"/>'s, a fixed split <see cref="FixedSplit"/>'s.
/// </summary>
public static class DeploymentLedger
{
    /// <summary>The first version becomes stable; a later one reserves the next rollout id.</summary>
    public static DeploymentState Deploy(DeploymentState state, string service, string version, DateTimeOffset now, out string? rolloutId) =>
        Deploy(state, service, version, [], RolloutPolicy.Default, now, out rolloutId);

    /// <summary>
    /// As <see cref="Deploy(DeploymentState, string, string, DateTimeOffset, out string?)"/>, recording
    /// where the version runs and which requests its rollout sends it whatever the weight.
    /// </summary>
    public static DeploymentState Deploy(DeploymentState state, string service, string version, string[] destinations, RolloutPolicy policy, DateTimeOffset now, out string? rolloutId)
    {
        var target = new VersionTarget { Version = version, Destinations = destinations };
        if (!state.HasStable)
        {
            rolloutId = null;
            return state with
            {
                StableVersion = version,
                Routing = state.Routing ?? ServiceRouting.ByName(service),
                Targets = [target],
                Releases = BoundedHistory.Append(state.Releases,
                    new ReleaseRecord { Version = version, Outcome = ReleaseOutcome.Initial, StartedAt = now, EndedAt = now },
                    DeploymentState.MaxReleases),
            };
        }
        var queued = Queue(state, service, version, destinations, policy, "", now, out var id);
        rolloutId = id;
        return StartQueued(queued, id, policy.RequiredApprovals, now);
    }

    /// <summary>
    /// A rollout asked for and not yet started: its id reserved, its release recorded as queued,
    /// traffic untouched. The release guard says when it starts (<see cref="StartQueued"/>).
    /// </summary>
    public static DeploymentState Queue(DeploymentState state, string service, string version, string[] destinations, RolloutPolicy policy, string requestedBy, DateTimeOffset now, out string rolloutId)
    {
        if (state.Split.Length > 0)
            throw new AviaryConflictException("service", $"'{service}' runs a fixed split ({FixedSplit.Describe(state.Split)}); end it (aviary split {service} --end) before rolling out");
        if (state.ActiveRolloutId is not null)
            throw new AviaryConflictException("service",
                $"'{service}' is already rolling out {state.CanaryVersion} ({state.ActiveRolloutId}); promote, abort or wait for it to end");
        if (state.Queued is { } waiting)
            throw new AviaryConflictException("service",
                $"'{service}' already has {waiting.Version} waiting in the release queue ({waiting.RolloutId}); abort it or wait for it to start and end");
        if (version == state.StableVersion)
            throw new AviaryValidationException("version", $"'{version}' is already the stable version of '{service}'");

        rolloutId = $"{service}/{state.RolloutsStarted + 1}";
        return state with
        {
            RolloutsStarted = state.RolloutsStarted + 1,
            Queued = new QueuedDeploy { RolloutId = rolloutId, Version = version, Destinations = destinations, Policy = policy, RequestedBy = requestedBy, QueuedAt = now },
            Releases = BoundedHistory.Append(state.Releases,
                new ReleaseRecord { Version = version, RolloutId = rolloutId, Outcome = ReleaseOutcome.Queued, StartedAt = now },
                DeploymentState.MaxReleases),
        };
    }

    /// <summary>The queued deploy <paramref name="rolloutId"/> becomes the active rollout, needing <paramref name="requiredApprovals"/> approvers.</summary>
    public static DeploymentState StartQueued(DeploymentState state, string rolloutId, int requiredApprovals, DateTimeOffset now)
    {
        if (state.Queued is not { } queued || queued.RolloutId != rolloutId)
            throw new AviaryConflictException("rolloutId", $"'{rolloutId}' is not queued");
        var target = new VersionTarget { Version = queued.Version, Destinations = queued.Destinations };
        return state with
        {
            ActiveRolloutId = rolloutId,
            CanaryVersion = queued.Version,
            CanaryWeight = 0,
            Queued = null,
            Targets = [.. state.Targets.Where(t => t.Version != queued.Version), target],
            ActivePolicy = queued.Policy with { RequiredApprovals = Math.Max(queued.Policy.RequiredApprovals, requiredApprovals) },
            Releases = [.. state.Releases.Select(r => r.RolloutId == rolloutId ? r with { Outcome = ReleaseOutcome.InProgress, StartedAt = now } : r)],
        };
    }

    /// <summary>The queued deploy leaves the queue without starting; unchanged when <paramref name="rolloutId"/> is not the one queued.</summary>
    public static DeploymentState CancelQueued(DeploymentState state, string rolloutId, string reason, DateTimeOffset now)
    {
        if (state.Queued?.RolloutId != rolloutId)
            return state;
        return state with
        {
            Queued = null,
            Releases = [.. state.Releases.Select(r => r.RolloutId == rolloutId ? r with { Outcome = ReleaseOutcome.Cancelled, EndedAt = now, Reason = reason } : r)],
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
        var ended = state with { ActiveRolloutId = null, CanaryVersion = null, CanaryWeight = 0, ActivePolicy = null, Releases = releases };
        return RoutableTargets.Keep(outcome != ReleaseOutcome.Succeeded
            ? ended
            : ended with
            {
                StableVersion = update.Version,
                PreviousStables = BoundedHistory.Append(state.PreviousStables, state.StableVersion, DeploymentState.MaxPreviousStables),
                SwitchBackUntil = state.ActivePolicy is { Strategy: Strategy.BlueGreen } blueGreen ? update.At + blueGreen.SwitchBackWindow : null,
            });
    }

    /// <summary>
    /// After a blue-green switch-back window: the version the switch replaced is released (no
    /// longer kept routable, undo no longer restores it). Unchanged before the window ends.
    /// </summary>
    public static DeploymentState ReleaseSwitchedOut(DeploymentState state, DateTimeOffset now)
    {
        if (state.SwitchBackUntil is not { } until || now < until)
            return state;
        return RoutableTargets.Keep(state with { SwitchBackUntil = null, PreviousStables = state.PreviousStables.Length == 0 ? [] : state.PreviousStables[..^1] });
    }

    /// <summary>Restores the stable version that the last successful rollout replaced.</summary>
    public static DeploymentState Undo(DeploymentState state, string service, DateTimeOffset now)
    {
        if (!state.Exists)
            throw new AviaryNotFoundException("service", $"no deployment named '{service}'");
        if (state.ActiveRolloutId is not null)
            throw new AviaryConflictException("service", $"'{service}' is rolling out {state.CanaryVersion}; abort it instead of undoing");
        if (state.SwitchBackUntil is { } until && now >= until)
            throw new AviaryConflictException("service", $"'{service}': the switch-back window ended at {until:u}; the version it replaced is released");
        if (state.PreviousStables.Length == 0)
            throw new AviaryConflictException("service", $"'{service}' has no previous stable version to restore");

        var restored = state.PreviousStables[^1];
        return state with
        {
            StableVersion = restored,
            PreviousStables = state.PreviousStables[..^1],
            SwitchBackUntil = null,
            Releases = BoundedHistory.Append(state.Releases,
                new ReleaseRecord { Version = restored, Outcome = ReleaseOutcome.Undone, StartedAt = now, EndedAt = now },
                DeploymentState.MaxReleases),
        };
    }

    /// <summary>How <paramref name="rolloutId"/> ended, from the release history: what the release guard is told.</summary>
    public static ReleaseFinished Finished(DeploymentState state, string service, string rolloutId)
    {
        var record = state.Releases.LastOrDefault(r => r.RolloutId == rolloutId);
        return new ReleaseFinished
        {
            RolloutId = rolloutId,
            Service = service,
            Version = record?.Version ?? "",
            Outcome = record?.Outcome is { } outcome and not (ReleaseOutcome.InProgress or ReleaseOutcome.Queued) ? outcome : ReleaseOutcome.Cancelled,
            Reason = record?.Reason ?? "",
        };
    }
}
