namespace Aviary.Workflows;

/// <summary>One task's progress in a run.</summary>
[GenerateSerializer, Immutable, Alias("aviary.TaskRun")]
public sealed record TaskRun
{
    [Id(0)] public string Id { get; init; } = "";
    [Id(1)] public TaskRunStatus Status { get; init; }
    /// <summary>Attempts started so far.</summary>
    [Id(2)] public int Attempts { get; init; }
    [Id(3)] public DateTimeOffset? StartedAt { get; init; }
    [Id(4)] public DateTimeOffset? FinishedAt { get; init; }
    [Id(5)] public DateTimeOffset? NextAttemptAt { get; init; }
    [Id(6)] public string? ErrorKind { get; init; }
    [Id(7)] public string? Error { get; init; }
    /// <summary>Where the result lives (a path or a cache key), never the result itself.</summary>
    [Id(8)] public string? ResultRef { get; init; }
    /// <summary>Wall time, CPU and allocations summed over every attempt; the largest peak heap of any attempt.</summary>
    [Id(11)] public ResourceUse Use { get; init; }
    /// <summary>Attempts granted beyond the policy's by retries from the dead-letter queue.</summary>
    [Id(10)] public int ExtraAttempts { get; init; }
}
