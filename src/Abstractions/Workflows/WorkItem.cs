namespace Aviary.Workflows;

/// <summary>One attempt of one task, handed to its agent kind's pool.</summary>
[GenerateSerializer, Immutable, Alias("aviary.WorkItem")]
public sealed record WorkItem
{
    [Id(0)] public string RunId { get; init; } = "";
    [Id(1)] public string TaskId { get; init; } = "";
    [Id(2)] public int Attempt { get; init; }
    [Id(3)] public string Agent { get; init; } = "";
    [Id(4)] public Dictionary<string, string> Input { get; init; } = [];
    [Id(5)] public TaskPriority Priority { get; init; }
    [Id(6)] public TimeSpan Timeout { get; init; }
}
