using Aviary.Rollouts;

namespace Aviary.Grains.Rollouts;

/// <summary>
/// The decider's answer: the next state, whether it must be persisted before anything is
/// visible, the events to publish once it is, and when it was decided (the time its transitions
/// and verdict carry, and so its events: a watcher matches an event to its stored transition).
/// </summary>
public sealed record RolloutDecision(RolloutState State, bool Persist, IReadOnlyList<RolloutDecisionEvent> Events, DateTimeOffset At)
{
    public static RolloutDecision Unchanged(RolloutState state) => new(state, false, [], default);
}

/// <summary>An event the grain publishes after persisting; the verdict rides on check events.</summary>
public sealed record RolloutDecisionEvent(RolloutEventKind Kind, string Message, Verdict? Verdict = null);
