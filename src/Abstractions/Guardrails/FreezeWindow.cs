namespace Aviary.Guardrails;

/// <summary>
/// A period in which no new rollout may start: recurring (a cron expression for its starts, a
/// duration, a time zone) or one-off (from, until).
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.FreezeWindow")]
public sealed record FreezeWindow
{
    [Id(0)] public string Name { get; init; } = "";
    /// <summary>Why: shown to whoever is refused.</summary>
    [Id(1)] public string Reason { get; init; } = "";
    /// <summary>Recurring: when each freeze starts, five cron fields (minute hour day month weekday).</summary>
    [Id(2)] public string? Cron { get; init; }
    /// <summary>Recurring: how long each freeze lasts.</summary>
    [Id(3)] public TimeSpan? Duration { get; init; }
    /// <summary>Recurring: the IANA time zone the cron fields are read in. Default UTC.</summary>
    [Id(4)] public string? TimeZone { get; init; }
    /// <summary>One-off: the start.</summary>
    [Id(5)] public DateTimeOffset? From { get; init; }
    /// <summary>One-off: the end (exclusive).</summary>
    [Id(6)] public DateTimeOffset? Until { get; init; }

    public bool IsRecurring => Cron is not null;
}
