using Aviary.Rollouts;
using Orleans.Streams;

namespace Aviary.Grains.Rollouts;

/// <summary>
/// A stored decision told to the world: each event on the service's rollout stream, counted and
/// logged, then handed to the webhooks. The stream is a live feed, the stored state the record, so
/// a failure here never fails the transition.
/// </summary>
public sealed partial class RolloutGrain
{
    private async Task PublishAsync(RolloutDecision decision)
    {
        if (decision.Events.Count == 0)
            return;
        var spec = Spec;
        var state = decision.State;
        var weight = RolloutDecider.Weight(state, spec.Policy);
        var stream = this.GetStreamProvider(Names.StreamProvider)
            .GetStream<RolloutEvent>(StreamId.Create(Names.RolloutEvents, Names.RolloutEventsKey(spec.Service)));
        foreach (var e in decision.Events)
        {
            if (e.Kind == RolloutEventKind.CheckCompleted)
                AviaryMeters.Verdicts.Add(1, new KeyValuePair<string, object?>("result", (e.Verdict?.Result ?? VerdictResult.Inconclusive).ToString()));
            else
            {
                AviaryMeters.Transitions.Add(1, new KeyValuePair<string, object?>("kind", e.Kind.ToString()));
                LogTransition(logger, spec.RolloutId, spec.Service, e.Kind, state.StageIndex, weight, e.Message);
            }
            try
            {
                await stream.OnNextAsync(new RolloutEvent
                {
                    RolloutId = spec.RolloutId,
                    Service = spec.Service,
                    Version = spec.Version,
                    Kind = e.Kind,
                    Status = state.Status,
                    StageIndex = state.StageIndex,
                    Weight = weight,
                    At = decision.At,
                    Message = e.Message,
                    Verdict = e.Verdict,
                });
            }
            catch (InvalidOperationException)
            {
                // The memory stream's queue is full (no back-pressure): shed the live event, count it.
                AviaryMeters.EventsDropped.Add(1);
                LogPublishShed(logger, spec.RolloutId, e.Kind);
            }
            catch (Exception ex)
            {
                LogPublishFailed(logger, ex, spec.RolloutId, e.Kind);
            }
        }
        await NotifyHooksAsync(decision);
    }
}
