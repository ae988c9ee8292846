using Aviary.Rollouts;

namespace Aviary.Grains.Rollouts;

/// <summary>
/// The decider's answer: the next state, whether it must be persisted before anything is
/// visible, and the events to publish once it is.
/// </summary>
public sealed record RolloutDecision(RolloutState State, bool Persist, IReadOnlyList<RolloutDecisionEvent> Events)
{
    public static RolloutDecision Unchanged(RolloutState state) => new(state, false, []);
}

/// <summary>An event the grain publishes after persisting; the verdict rides on check events.</summary>
public sealed record RolloutDecisionEvent(RolloutEventKind Kind, string Message, Verdict? Verdict = null);
