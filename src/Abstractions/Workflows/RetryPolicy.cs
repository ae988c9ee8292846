namespace Aviary.Workflows;

/// <summary>How a failed task is retried: exponential backoff between attempts, capped.</summary>
[GenerateSerializer, Immutable, Alias("aviary.RetryPolicy")]
public sealed record RetryPolicy
{
    /// <summary>Attempts in all, the first included. Default 3.</summary>
    [Id(0)] public int MaxAttempts { get; init; } = 3;

    /// <summary>Wait before the second attempt. Default 1 s.</summary>
    [Id(1)] public TimeSpan InitialInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Each further wait is the previous one times this. Default 2.</summary>
    [Id(2)] public double BackoffCoefficient { get; init; } = 2.0;

    /// <summary>No wait is longer than this. Default 1 minute.</summary>
    [Id(3)] public TimeSpan MaxInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Error kinds that fail the task at once, without retrying.</summary>
    [Id(4)] public string[] NonRetryableErrors { get; init; } = [];

    public static RetryPolicy Default { get; } = new();

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var factor = Math.Pow(BackoffCoefficient, Math.Max(0, attempt - 1));
        var ticks = InitialInterval.Ticks * factor;
        return ticks >= MaxInterval.Ticks || double.IsInfinity(ticks) ? MaxInterval : TimeSpan.FromTicks((long)ticks);
    }
}
