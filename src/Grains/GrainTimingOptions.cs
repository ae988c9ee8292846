namespace Aviary.Grains;

/// <summary>
/// How Aviary's grains schedule themselves: rollouts' checks, workflows' retries and audits, and
/// the reminders that bring both back. Bound to the <see cref="Section"/> section itself
/// (<c>Aviary:ReminderPeriod</c>, <c>Aviary:AttemptAuditPeriod</c>), checked at start by
/// <see cref="GrainTimingOptionsValidator"/>.
/// </summary>
public sealed class GrainTimingOptions
{
    public const string Section = "Aviary";

    /// <summary>
    /// Period of the reminders that bring rollouts (through their keepers) and workflow runs back
    /// after deactivation or a restart.
    /// Orleans' default minimum is one minute. Default 1 minute, at least 1 second.
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often a running workflow asks its agent pools which of its attempts they still hold. An
    /// attempt held by none at two audits in a row was lost with a pool's silo and fails as a
    /// timeout, so a lost attempt is noticed within two periods. Default 30 s, at least 1 second.
    /// </summary>
    public TimeSpan AttemptAuditPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When set, a timer never sleeps longer than this before looking at the clock again.
    /// Only tests with a fake clock need it; production timers fire when the next check is due.
    /// </summary>
    public TimeSpan? MaxTimerDelay { get; set; }

    /// <summary>How long a timer should sleep to wake at <paramref name="due"/>: never negative, never past <see cref="MaxTimerDelay"/>.</summary>
    public TimeSpan DelayUntil(DateTimeOffset due, DateTimeOffset now)
    {
        var delay = due - now;
        if (delay < TimeSpan.Zero)
            return TimeSpan.Zero;
        return MaxTimerDelay is { } cap && delay > cap ? cap : delay;
    }
}
