using Microsoft.Extensions.Options;

namespace Aviary.Grains;

/// <summary>Names the first bad timing setting, so a misconfigured silo stops at start with one clear line.</summary>
public sealed class GrainTimingOptionsValidator : IValidateOptions<GrainTimingOptions>
{
    public ValidateOptionsResult Validate(string? name, GrainTimingOptions options) =>
        FirstFailure(options) is { } failure ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;

    public static string? FirstFailure(GrainTimingOptions o)
    {
        const string section = GrainTimingOptions.Section;
        if (ReminderPeriodFailure(o.ReminderPeriod) is { } reminder)
            return reminder;
        if (o.AttemptAuditPeriod < TimeSpan.FromSeconds(1))
            return $"{section}:AttemptAuditPeriod: must be at least 1 second (got {o.AttemptAuditPeriod})";
        if (o.MaxTimerDelay is { } cap && cap <= TimeSpan.Zero)
            return $"{section}:MaxTimerDelay: must be positive when set (got {cap})";
        return null;
    }

    /// <summary>The reminder period's rule, which the silo's own settings share (it is the same setting).</summary>
    public static string? ReminderPeriodFailure(TimeSpan period) =>
        period < TimeSpan.FromSeconds(1) ? $"{GrainTimingOptions.Section}:ReminderPeriod: must be at least 1 second" : null;
}
