using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Rollouts;
using Aviary.Routes;

namespace Aviary.Grains.Deployments;

/// <summary>
/// The deployment's rules, pure: what a deploy does, how a rollout's outcome changes the stable
/// version, what undo restores.
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
            throw new AviaryConflictException("service", $"'{service}' runs a fixed split ({Describe(state.Split)}); end it (aviary split {service} --end) before rolling out");
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
        return KeepRoutableTargets(outcome != ReleaseOutcome.Succeeded
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
        return KeepRoutableTargets(state with { SwitchBackUntil = null, PreviousStables = state.PreviousStables.Length == 0 ? [] : state.PreviousStables[..^1] });
    }

    public const int MaxSplitVersions = 10;

    /// <summary>
    /// Splits the service's traffic across versions for as long as the operator wants: the stable
    /// version and others, each with destinations (given now, or known from an earlier deploy),
    /// weights adding up to 100. An empty split ends it: the stable version takes all traffic.
    /// </summary>
    public static DeploymentState SetSplit(DeploymentState state, string service, SplitShare[] split, VersionTarget[] destinations)
    {
        if (!state.HasStable)
            throw new AviaryNotFoundException("service", $"'{service}' has no stable version yet: deploy one first");
        if (state.ActiveRolloutId is not null)
            throw new AviaryConflictException("service", $"'{service}' is rolling out {state.CanaryVersion} ({state.ActiveRolloutId}); a split waits until it ends");
        if (split.Length == 0)
            return KeepRoutableTargets(state with { Split = [] });
        if (split.Length is < 2 or > MaxSplitVersions)
            throw new AviaryValidationException("weights", $"a split names 2 to {MaxSplitVersions} versions (to end one: --end)");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var share in split)
        {
            Identifiers.ValidateVersion(share.Version, "weights");
            if (!names.Add(share.Version))
                throw new AviaryValidationException("weights", $"'{share.Version}' is named twice");
            if (share.Weight is < 1 or > 99)
                throw new AviaryValidationException("weights", $"each weight must be between 1 and 99 (got {share.Version}={share.Weight})");
        }
        if (split.Sum(s => s.Weight) != 100)
            throw new AviaryValidationException("weights", $"weights must add up to 100 (they add up to {split.Sum(s => s.Weight)})");
        if (!names.Contains(state.StableVersion))
            throw new AviaryValidationException("weights", $"the stable version {state.StableVersion} must be one of the split's versions");
        var targets = state.Targets.Where(t => !destinations.Any(d => d.Version == t.Version)).Concat(destinations).ToArray();
        foreach (var share in split)
        {
            if (targets.FirstOrDefault(t => t.Version == share.Version) is not { Destinations.Length: > 0 })
                throw new AviaryValidationException("to", $"version {share.Version} has no destinations: give them with --to {share.Version}=URL");
        }
        return state with { Split = split, Targets = targets };
    }

    private static string Describe(SplitShare[] split) => string.Join(", ", split.Select(s => $"{s.Version} {s.Weight} %"));

    /// <summary>Adds the service or changes its routing; versions and rollouts are untouched.</summary>
    public static DeploymentState Configure(DeploymentState state, ServiceRouting routing) =>
        state with { Routing = RouteValidator.Validate(routing) };

    /// <summary>
    /// What is left of a removed service: its counters, so a service added again under the same
    /// name never reuses a rollout id nor a route revision.
    /// </summary>
    public static DeploymentState Remove(DeploymentState state, string service)
    {
        if (!state.Exists)
            throw new AviaryNotFoundException("service", $"no service named '{service}'");
        if (state.ActiveRolloutId is not null)
            throw new AviaryConflictException("service", $"'{service}' is rolling out {state.CanaryVersion} ({state.ActiveRolloutId}); abort it before removing the service");
        if (state.Queued is { } queued)
            throw new AviaryConflictException("service", $"'{service}' has {queued.Version} waiting in the release queue ({queued.RolloutId}); abort it before removing the service");
        return new DeploymentState { RolloutsStarted = state.RolloutsStarted, RouteRevision = state.RouteRevision };
    }

    /// <summary>The route gateways follow: where the stable and the canary run, and the canary's share.</summary>
    public static RouteSnapshot Route(string service, DeploymentState state) => new()
    {
        Service = service,
        Revision = state.RouteRevision,
        Routing = state.Routing ?? ServiceRouting.ByName(service),
        Stable = state.HasStable ? TargetOf(state, state.StableVersion) : null,
        Canary = state.CanaryVersion is { } canary ? TargetOf(state, canary) : null,
        CanaryWeight = state.CanaryVersion is null ? 0 : state.CanaryWeight,
        CanaryRules = state.CanaryVersion is null ? [] : state.ActivePolicy?.CanaryRules ?? [],
        MirrorPercent = Mirrors(state) ? state.ActivePolicy!.MirrorPercent : 0,
        MirrorAllMethods = Mirrors(state) && state.ActivePolicy!.MirrorAllMethods,
        Split = state.Split,
        SplitTargets = [.. state.Targets.Where(t => state.Split.Any(s => s.Version == t.Version))],
        Standby = [.. state.Targets.Where(t => state.PreviousStables.Contains(t.Version) && t.Destinations.Length > 0)],
        Removed = !state.Exists,
    };

    /// <summary>A shadow rollout copies requests to its version throughout; a canary only in its shadow stage (0 %).</summary>
    private static bool Mirrors(DeploymentState state) =>
        state is { CanaryVersion: not null, ActivePolicy: { } policy } && (policy.Strategy == Strategy.Shadow || (policy.HasShadowStage && state.CanaryWeight == 0));

    private static VersionTarget TargetOf(DeploymentState state, string version) =>
        state.Targets.FirstOrDefault(t => t.Version == version) ?? new VersionTarget { Version = version };

    /// <summary>Destinations are kept for the versions traffic can reach again: stable, canary, and the stables undo restores.</summary>
    private static DeploymentState KeepRoutableTargets(DeploymentState state) => state with
    {
        Targets = [.. state.Targets.Where(t => t.Version == state.StableVersion || t.Version == state.CanaryVersion || state.PreviousStables.Contains(t.Version)
            || state.Split.Any(s => s.Version == t.Version))],
    };

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

    public static DeploymentView Describe(string service, DeploymentState state) => new()
    {
        Service = service,
        StableVersion = state.StableVersion,
        ActiveRolloutId = state.ActiveRolloutId,
        CanaryVersion = state.CanaryVersion,
        CanaryWeight = state.CanaryWeight,
        Releases = state.Releases,
        PreviousStableVersion = state.PreviousStables.Length == 0 ? null : state.PreviousStables[^1],
        Routing = state.Routing ?? ServiceRouting.ByName(service),
        Targets = state.Targets,
        SwitchBackUntil = state.SwitchBackUntil,
        Split = state.Split,
        Queued = state.Queued,
    };
}
