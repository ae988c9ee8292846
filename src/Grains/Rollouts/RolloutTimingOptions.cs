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
}
