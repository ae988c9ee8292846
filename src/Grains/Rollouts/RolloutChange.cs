namespace Aviary.Grains.Rollouts;

/// <summary>
/// What a decision changed, which says whether it must be stored: a check's own bookkeeping is
/// kept in memory (a rollout without traffic must not write on every check), a stored count or a
/// transition is written before anything is visible.
/// </summary>
[Flags]
public enum RolloutChange
{
    None = 0,

    /// <summary>A check ran: its verdict, its time and the inconclusive count, in memory only.</summary>
    Checked = 1,

    /// <summary>The stored failure count changed without a transition.</summary>
    Counted = 2,

    /// <summary>At least one transition was recorded, each with its event.</summary>
    Transitioned = 4,
}
