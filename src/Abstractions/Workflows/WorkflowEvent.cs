namespace Aviary.Workflows;

/// <summary>One workflow or task event, as <see cref="WorkflowEventBatch.Events"/> gives them (the stream carries batches).</summary>
[GenerateSerializer, Immutable, Alias("aviary.WorkflowEvent")]
public sealed record WorkflowEvent
{
    [Id(0)] public string RunId { get; init; } = "";
    /// <summary>queued, started, succeeded, failed, retry-scheduled, dead-lettered, blocked, cancelled, requeued, completed.</summary>
    [Id(1)] public string Kind { get; init; } = "";
    [Id(2)] public string? TaskId { get; init; }
    [Id(3)] public int Attempt { get; init; }
    [Id(4)] public WorkflowStatus Status { get; init; }
    [Id(5)] public string Message { get; init; } = "";
    [Id(6)] public DateTimeOffset At { get; init; }
}
