namespace Aviary.Grains.Rollouts;

/// <summary>How rollout grains schedule themselves.</summary>
public sealed class RolloutTimingOptions
{
    /// <summary>
    /// Period of the reminder that brings a rollout back after deactivation or a restart.
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
