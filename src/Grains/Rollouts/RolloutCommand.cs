namespace Aviary.Grains.Rollouts;

/// <summary>
/// Everything that can be asked of a rollout, as data: the timer's check and the operators'
/// commands alike. Closed (its constructor is private), so <see cref="RolloutDecider.Decide"/>
/// is the one place that says what each does, in one switch.
/// </summary>
public abstract record RolloutCommand
{
    private RolloutCommand()
    {
    }

    /// <summary>Puts a rollout that has not started at its first stage.</summary>
    public sealed record Start : RolloutCommand;

    /// <summary>A health check on what the metrics windows saw (a no-op before it is due).</summary>
    public sealed record Check(HealthObservation Observation) : RolloutCommand;

    /// <summary>Moves on now: to the next stage, past a gate or the bake, or to 100 % with <paramref name="Full"/>.</summary>
    public sealed record Promote(bool Full) : RolloutCommand;

    /// <summary>Holds the rollout at its stage; its bake clock stops until it resumes.</summary>
    public sealed record Pause(string? Reason) : RolloutCommand;

    /// <summary>Goes on after an operator's pause or an inconclusive one; gates and approvals have their own commands.</summary>
    public sealed record Resume : RolloutCommand;

    /// <summary>Sends all traffic back to the stable version.</summary>
    public sealed record Abort(string? Reason) : RolloutCommand;

    /// <summary>
    /// Counts <paramref name="Approver"/> towards the two-person rule; <paramref name="RequestedBy"/>
    /// (who deployed it) may not. With <paramref name="Proceed"/> false (its confirm-promotion hooks
    /// did not agree) the last approval only resumes the checks, and the next one asks them again.
    /// </summary>
    public sealed record Approve(string Approver, string RequestedBy, bool Proceed = true) : RolloutCommand;
}
