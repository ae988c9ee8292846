using Aviary.Errors;

namespace Aviary.Silo.Feeds;

/// <summary>What a feed carries: rollout changes, workflow events, agent pool changes, metric aggregates.</summary>
public enum FeedKind
{
    Rollout,
    Workflow,
    Agent,
    Metrics,

    /// <summary>The feed's own notices (<see cref="FeedNotices"/>): never filtered out.</summary>
    Feed,
}

/// <summary>
/// Which events a client wants: kinds, and a service (for rollout and metric events) or a run (for
/// workflow events). Without kinds: all four, or those a service or run filter is about.
/// </summary>
public sealed record FeedFilter(IReadOnlySet<FeedKind> Kinds, string? Service, string? Run)
{
    public static readonly IReadOnlyList<FeedKind> Followable = [FeedKind.Rollout, FeedKind.Workflow, FeedKind.Agent, FeedKind.Metrics];

    /// <summary>Reads <c>kind</c> (comma-separated), <c>service</c> and <c>run</c>; a bad value names its field and rule.</summary>
    public static FeedFilter Parse(string? kinds, string? service, string? run)
    {
        if (service is not null)
            Identifiers.ValidateService(service);
        if (run is not null)
            Identifiers.ValidateRunId(run);
        HashSet<FeedKind> set = [];
        if (!string.IsNullOrWhiteSpace(kinds))
        {
            foreach (var part in kinds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                set.Add(part.ToLowerInvariant() switch
                {
                    "rollout" or "rollouts" => FeedKind.Rollout,
                    "workflow" or "workflows" => FeedKind.Workflow,
                    "agent" or "agents" => FeedKind.Agent,
                    "metrics" => FeedKind.Metrics,
                    _ => throw new AviaryValidationException("kind", $"must be rollout, workflow, agent or metrics, comma-separated (got '{part}')"),
                });
            }
        }
        else
        {
            if (service is not null)
                set.UnionWith([FeedKind.Rollout, FeedKind.Metrics]);
            if (run is not null)
                set.Add(FeedKind.Workflow);
            if (set.Count == 0)
                set.UnionWith(Followable);
        }
        return new FeedFilter(set, service, run);
    }

    public bool Wants(FeedKind kind) => Kinds.Contains(kind);

    public bool Matches(FeedEvent e) => e.Kind == FeedKind.Feed || Kinds.Contains(e.Kind) && e.Kind switch
    {
        FeedKind.Rollout or FeedKind.Metrics => Service is null || e.Service == Service,
        FeedKind.Workflow => Run is null || e.Run == Run,
        _ => true,
    };
}
