namespace Aviary.Grains;

/// <summary>How Aviary's grains schedule themselves: rollouts' checks, workflows' retries and timeouts, and the reminders that bring both back.</summary>
public sealed class GrainTimingOptions
{
    /// <summary>
    /// Period of the reminders that bring rollouts (through their keepers) and workflow runs back
    /// after deactivation or a restart.
    /// Orleans' default minimum is one minute. Default 1 minute.
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

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
