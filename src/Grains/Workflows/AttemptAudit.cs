namespace Aviary.Grains.Workflows;

/// <summary>
/// How a run notices attempts nobody will ever answer. An agent pool answers every attempt it
/// holds, as a timeout at the attempt's deadline at the latest (<see cref="Agents.AgentPool"/>), so
/// a run judges no attempt's time; but a pool keeps its queue in memory, and loses it with its
/// silo. So every <see cref="GrainTimingOptions.AttemptAuditPeriod"/> while attempts are out, the
/// run asks their pools which they still hold. An attempt held by none at two audits in a row,
/// and not answered in between (at the first its answer may have been on the way), is lost: it
/// fails as a timeout, and its retry policy decides. In memory: after a restart every attempt that
/// was out is retried anyway.
/// </summary>
public sealed class AttemptAudit(TimeSpan period)
{
    // Attempts (by task index) that no pool held at the last audit.
    private Dictionary<int, int> _missing = [];

    /// <summary>When the next audit is due; null while no attempt is out.</summary>
    public DateTimeOffset? DueAt { get; private set; }

    /// <summary>Keeps the schedule: the first audit a period after attempts went out, none while none are.</summary>
    public void Track(bool attemptsOut, DateTimeOffset now)
    {
        if (attemptsOut)
        {
            DueAt ??= now + period;
            return;
        }
        DueAt = null;
        _missing.Clear();
    }

    public bool IsDue(DateTimeOffset now) => DueAt <= now;

    /// <summary>
    /// One audit's findings, whether a pool holds each attempt out: returns the attempts lost, and
    /// schedules the next audit.
    /// </summary>
    public List<(int Task, int Attempt)> Judge(IEnumerable<(int Task, int Attempt, bool Held)> findings, DateTimeOffset now)
    {
        var missing = new Dictionary<int, int>();
        var lost = new List<(int Task, int Attempt)>();
        foreach (var (task, attempt, held) in findings)
        {
            if (held)
                continue;
            if (_missing.TryGetValue(task, out var before) && before == attempt)
                lost.Add((task, attempt));
            else
                missing[task] = attempt;
        }
        _missing = missing;
        DueAt = now + period;
        return lost;
    }
}
