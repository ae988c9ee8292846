using Aviary.Rollouts;

namespace Aviary.Grains.Rollouts;

/// <summary>
/// The decider's answer: the next state, what changed (and so whether it must be stored before
/// anything is visible), the events to publish once it is, and when it was decided (the time its
/// transitions and verdict carry, and so its events: a watcher matches an event to its stored
/// transition). It is built only through its steps: the one that records a transition also adds
/// its event, and the only other event, a check's verdict, comes with the verdict it reports.
/// </summary>
public sealed record RolloutDecision
{
    private RolloutDecision(RolloutState state, DateTimeOffset at)
    {
        State = state;
        At = at;
    }

    public RolloutState State { get; private init; }

    public RolloutChange Change { get; private init; }

    public IReadOnlyList<RolloutDecisionEvent> Events { get; private init; } = [];

    public DateTimeOffset At { get; }

    /// <summary>Whether the state must be stored before its events, or the traffic it implies, are visible.</summary>
    public bool Persist => (Change & (RolloutChange.Counted | RolloutChange.Transitioned)) != 0;

    /// <summary>Nothing to do: the same state, no events.</summary>
    public static RolloutDecision Unchanged(RolloutState state) => new(state, default);

    /// <summary>A decision about <paramref name="state"/> made at <paramref name="now"/>, nothing changed yet.</summary>
    internal static RolloutDecision About(RolloutState state, DateTimeOffset now) => new(state, now);

    /// <summary>
    /// Changes the state by <paramref name="change"/>, records that as a transition of
    /// <paramref name="kind"/> (with the status and stage it leads to) and adds the event that
    /// publishes it.
    /// </summary>
    internal RolloutDecision Transition(RolloutEventKind kind, string message, Func<RolloutState, RolloutState>? change = null)
    {
        var next = change is null ? State : change(State);
        var transition = new StageTransition { At = At, Kind = kind, StageIndex = next.StageIndex, Status = next.Status, Message = message };
        return this with
        {
            State = next with { Transitions = BoundedHistory.Append(next.Transitions, transition, RolloutState.MaxTransitions) },
            Change = Change | RolloutChange.Transitioned,
            Events = [.. Events, new(kind, message)],
        };
    }

    /// <summary>
    /// As <see cref="Transition"/>, unless it is the last transition recorded already: then that
    /// one's event is published again (a watcher sees it at every check) and the history keeps it once.
    /// </summary>
    internal RolloutDecision TransitionOnce(RolloutEventKind kind, string message) =>
        State.Transitions is [.., var last] && last.Kind == kind && last.Message == message
            ? this with { Events = [.. Events, new(kind, message)] }
            : Transition(kind, message);

    /// <summary>A check's verdict, kept without its reason (views write it out again) and published with it.</summary>
    internal RolloutDecision Checked(Verdict verdict) => this with
    {
        State = State with
        {
            LastCheckAt = verdict.At,
            Verdicts = BoundedHistory.Append(State.Verdicts, verdict with { Reason = "" }, RolloutState.MaxVerdicts),
        },
        Change = Change | RolloutChange.Checked,
        Events = [.. Events, new(RolloutEventKind.CheckCompleted, verdict.Reason, verdict)],
    };

    /// <summary>
    /// Sets the consecutive failure and inconclusive counts. The failure count is stored, so a change
    /// to it is written; the inconclusive count is not: after a restart it starts again, which can
    /// only delay a pause.
    /// </summary>
    internal RolloutDecision Counts(int failures, int inconclusive) => this with
    {
        State = State with { ConsecutiveFailures = failures, ConsecutiveInconclusive = inconclusive },
        Change = Change | (failures != State.ConsecutiveFailures ? RolloutChange.Counted : RolloutChange.None),
    };
}
