using Aviary.Rollouts;

namespace Aviary.Grains.Rollouts;

/// <summary>An event the grain publishes after persisting; the verdict rides on check events.</summary>
public sealed record RolloutDecisionEvent(RolloutEventKind Kind, string Message, Verdict? Verdict = null);
