using Aviary.Deployments;
using Aviary.Errors;
using Aviary.Guardrails;

namespace Aviary.Grains.Guardrails;

/// <summary>
/// The guard's rules, pure: who may start now, who waits and why, who is cancelled when a release
/// they wait for fails. Deploys start in the order they came, each as soon as nothing holds it
/// (a freeze, a release it waits for, the cluster's or its group's limit).
/// </summary>
public static class ReleaseQueue
{
    /// <summary>Queues <paramref name="request"/> and moves the queue: <c>Start</c> when it took a slot at once.</summary>
    public static (ReleaseGuardState State, Admission Admission, QueuedRelease[] Started) Admit(ReleaseGuardState state, ReleaseRequest request, DateTimeOffset now)
    {
        var required = state.Policy.RequiredApprovals(request.Service);
        if (state.Active.Any(a => a.RolloutId == request.RolloutId))
            return (state, new Admission { Start = true, RequiredApprovals = required }, []);
        if (Array.FindIndex(state.Queued, q => q.RolloutId == request.RolloutId) is var at and >= 0)
            return (state, Queued(state, at, now, required), []);

        RefuseInFreeze(state.Policy, request.FreezeOverride, now);
        var after = new List<ReleaseRef>();
        foreach (var wanted in request.After)
        {
            if (wanted.Service == request.Service)
                throw new AviaryValidationException("after", $"a rollout of '{request.Service}' cannot wait for its own service");
            switch (LastOutcome(state, wanted)?.Outcome)
            {
                case ReleaseOutcome.Succeeded or ReleaseOutcome.Initial:
                    continue;
                case { } failed:
                    var why = LastOutcome(state, wanted)!.Reason;
                    throw new AviaryConflictException("after", $"{wanted} {Word(failed)}{(why.Length > 0 ? ": " + why : "")}; nothing waits for it");
            }
            if (!after.Contains(wanted))
                after.Add(wanted);
        }
        if (Cycle(state, request.Service, request.Version, after) is { } cycle)
            throw new AviaryConflictException("after", $"waiting would make a cycle: {cycle}");
        if (state.Queued.Length >= ReleaseGuardState.MaxQueued)
            throw new AviaryConflictException("queue", $"the release queue is full ({ReleaseGuardState.MaxQueued} deploys waiting)");

        var entry = new QueuedRelease
        {
            RolloutId = request.RolloutId,
            Service = request.Service,
            Version = request.Version,
            After = [.. after],
            FreezeOverride = request.FreezeOverride,
            RequestedBy = request.RequestedBy,
            QueuedAt = now,
        };
        var (next, started) = Pump(state with { Queued = [.. state.Queued, entry] }, now);
        return started.Any(s => s.RolloutId == entry.RolloutId)
            ? (next, new Admission { Start = true, RequiredApprovals = required }, [.. started.Where(s => s.RolloutId != entry.RolloutId)])
            : (next, Queued(next, Array.FindIndex(next.Queued, q => q.RolloutId == entry.RolloutId), now, required), started);
    }

    /// <summary>Refuses a new release inside a freeze window, unless an admin gave <paramref name="freezeOverride"/>.</summary>
    public static void RefuseInFreeze(GuardrailPolicy policy, string? freezeOverride, DateTimeOffset now)
    {
        if (freezeOverride is null && FreezeCalendar.At(policy.Freezes, now) is { } freeze)
            throw new AviaryConflictException("freeze", freeze.Describe());
    }

    /// <summary>
    /// A release ended. Its slot frees; deploys waiting for it go on when it succeeded, and are
    /// cancelled (and so, in turn, those waiting for them) when it did not.
    /// </summary>
    public static (ReleaseGuardState State, QueuedRelease[] Started, (QueuedRelease Release, string Reason)[] Cancelled) Finish(ReleaseGuardState state, ReleaseFinished finished, DateTimeOffset now)
    {
        var known = finished.RolloutId is { } id && (state.Active.Any(a => a.RolloutId == id) || state.Queued.Any(q => q.RolloutId == id));
        if (finished.RolloutId is not null && !known && state.Outcomes.Any(o => o.RolloutId == finished.RolloutId))
            return (state, [], []); // told twice (the reconcile and the deployment)
        var outcomes = state.Outcomes.ToList();
        var queued = state.Queued.ToList();
        var cancelled = new List<(QueuedRelease, string)>();
        var ended = new Queue<ReleaseFinished>([finished]);
        while (ended.TryDequeue(out var end))
        {
            outcomes.Add(end);
            var done = new ReleaseRef { Service = end.Service, Version = end.Version };
            for (var i = 0; i < queued.Count; i++)
            {
                var waiting = queued[i];
                if (!waiting.After.Contains(done))
                    continue;
                if (end.Outcome is ReleaseOutcome.Succeeded or ReleaseOutcome.Initial)
                {
                    queued[i] = waiting with { After = [.. waiting.After.Where(a => a != done)] };
                    continue;
                }
                var reason = $"{done} {Word(end.Outcome)}" + (end.Reason.Length > 0 ? $": {end.Reason}" : "");
                cancelled.Add((waiting, reason));
                queued.RemoveAt(i--);
                ended.Enqueue(new ReleaseFinished { RolloutId = waiting.RolloutId, Service = waiting.Service, Version = waiting.Version, Outcome = ReleaseOutcome.Cancelled, Reason = reason });
            }
        }
        var next = state with
        {
            Active = [.. state.Active.Where(a => a.RolloutId != finished.RolloutId || finished.RolloutId is null)],
            Queued = [.. queued.Where(q => q.RolloutId != finished.RolloutId)],
            Outcomes = [.. outcomes.Skip(Math.Max(0, outcomes.Count - ReleaseGuardState.MaxOutcomes))],
        };
        var (pumped, started) = Pump(next, now);
        return (pumped, started, [.. cancelled]);
    }

    /// <summary>An operator withdrew a queued deploy; it counts as cancelled for those waiting on it.</summary>
    public static (ReleaseGuardState State, QueuedRelease[] Started, (QueuedRelease Release, string Reason)[] Cancelled) Withdraw(ReleaseGuardState state, string rolloutId, DateTimeOffset now)
    {
        if (state.Queued.FirstOrDefault(q => q.RolloutId == rolloutId) is not { } entry)
            return (state, [], []);
        return Finish(state, new ReleaseFinished { RolloutId = rolloutId, Service = entry.Service, Version = entry.Version, Outcome = ReleaseOutcome.Cancelled, Reason = "withdrawn by an operator" }, now);
    }

    /// <summary>Starts, in order, every queued deploy that nothing holds any more.</summary>
    public static (ReleaseGuardState State, QueuedRelease[] Started) Pump(ReleaseGuardState state, DateTimeOffset now)
    {
        var freeze = FreezeCalendar.At(state.Policy.Freezes, now);
        var active = state.Active.ToList();
        var waiting = new List<QueuedRelease>();
        var started = new List<QueuedRelease>();
        foreach (var entry in state.Queued)
        {
            if (Holds(state.Policy, active, entry, freeze) is null)
            {
                active.Add(new ActiveRelease { RolloutId = entry.RolloutId, Service = entry.Service, Version = entry.Version, Since = now });
                started.Add(entry);
            }
            else
            {
                waiting.Add(entry);
            }
        }
        return started.Count == 0 ? (state, []) : (state with { Active = [.. active], Queued = [.. waiting] }, [.. started]);
    }

    public static ReleaseQueueView View(ReleaseGuardState state, DateTimeOffset now)
    {
        var freeze = FreezeCalendar.At(state.Policy.Freezes, now);
        return new ReleaseQueueView
        {
            Active = state.Active,
            Queued = [.. state.Queued.Select(q => q with { Waiting = Holds(state.Policy, state.Active, q, freeze) ?? "starting" })],
            Freeze = freeze,
            MaxActiveRollouts = state.Policy.MaxActiveRollouts,
        };
    }

    /// <summary>What keeps <paramref name="entry"/> from starting, or null.</summary>
    public static string? Holds(GuardrailPolicy policy, IReadOnlyCollection<ActiveRelease> active, QueuedRelease entry, ActiveFreeze? freeze)
    {
        if (freeze is not null && entry.FreezeOverride is null)
            return $"freeze '{freeze.Name}' until {freeze.Until:yyyy-MM-dd HH:mm:ss}Z";
        if (entry.After.Length > 0)
            return "waiting for " + string.Join(", ", entry.After.Select(a => a.ToString()));
        if (policy.MaxActiveRollouts > 0 && active.Count >= policy.MaxActiveRollouts)
            return $"waiting for a slot: {active.Count} of {policy.MaxActiveRollouts} rollouts active in the cluster";
        foreach (var group in policy.GroupsOf(entry.Service))
        {
            var inGroup = active.Where(a => group.Services.Contains(a.Service)).ToArray();
            if (inGroup.Length >= group.MaxActive)
                return $"waiting for a slot in group '{group.Name}': {inGroup.Length} of {group.MaxActive} active ({string.Join(", ", inGroup.Select(a => a.RolloutId))})";
        }
        return null;
    }

    private static Admission Queued(ReleaseGuardState state, int index, DateTimeOffset now, int required) => new()
    {
        Start = false,
        Position = index + 1,
        Waiting = Holds(state.Policy, state.Active, state.Queued[index], FreezeCalendar.At(state.Policy.Freezes, now)) ?? "starting",
        RequiredApprovals = required,
    };

    private static ReleaseFinished? LastOutcome(ReleaseGuardState state, ReleaseRef release) =>
        state.Outcomes.LastOrDefault(o => o.Service == release.Service && o.Version == release.Version);

    /// <summary>The cycle <c>a@1 → b@2 → a@1</c> that waiting for <paramref name="after"/> would close, or null.</summary>
    private static string? Cycle(ReleaseGuardState state, string service, string version, IEnumerable<ReleaseRef> after)
    {
        var self = new ReleaseRef { Service = service, Version = version };
        var path = new List<ReleaseRef> { self };
        var seen = new HashSet<ReleaseRef>();
        return Visit(after);

        string? Visit(IEnumerable<ReleaseRef> refs)
        {
            foreach (var wanted in refs)
            {
                if (wanted == self)
                    return string.Join(" → ", path.Append(self));
                if (!seen.Add(wanted) || state.Queued.FirstOrDefault(q => q.Service == wanted.Service && q.Version == wanted.Version) is not { } queued)
                    continue;
                path.Add(wanted);
                if (Visit(queued.After) is { } found)
                    return found;
                path.RemoveAt(path.Count - 1);
            }
            return null;
        }
    }

    private static string Word(ReleaseOutcome outcome) => outcome switch
    {
        ReleaseOutcome.RolledBack => "rolled back",
        ReleaseOutcome.Aborted => "was aborted",
        ReleaseOutcome.Cancelled => "was cancelled",
        ReleaseOutcome.Undone => "was undone",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}
