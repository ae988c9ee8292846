using Aviary.Rollouts;

namespace Aviary.Tests.Cluster;

/// <summary>A service's rollout events (its partition of the rollout-events streams, filtered).</summary>
public sealed class EventProbe : StreamProbe<RolloutEvent>
{
    public static async Task<EventProbe> SubscribeAsync(IClusterClient client, string service)
    {
        var probe = new EventProbe();
        await probe.SubscribeAsync(client, Names.RolloutEvents, Names.RolloutEventsKey(service), e => e.Service == service);
        return probe;
    }

    public IReadOnlyList<RolloutEventKind> Kinds => Events.Select(e => e.Kind).ToArray();

    /// <summary>Waits until at least <paramref name="count"/> events of <paramref name="kind"/> arrived.</summary>
    public Task<RolloutEvent> WaitForAsync(RolloutEventKind kind, int count = 1, string phase = "") =>
        WaitForAsync(e => e.Kind == kind, count, $"{count}× {kind}{(phase.Length > 0 ? " (" + phase + ")" : "")}");

    protected override string Describe(RolloutEvent e) => $"{e.Kind}@{e.StageIndex}";
}
