namespace Aviary.Workflows;

/// <summary>How one attempt ended, as the pool reports it to the workflow.</summary>
[GenerateSerializer, Immutable, Alias("aviary.TaskOutcome")]
public sealed record TaskOutcome
{
    [Id(0)] public string TaskId { get; init; } = "";
    [Id(1)] public int Attempt { get; init; }
    [Id(2)] public bool Succeeded { get; init; }
    [Id(3)] public string? ResultRef { get; init; }
    [Id(4)] public string? ErrorKind { get; init; }
    [Id(5)] public string? Error { get; init; }
    [Id(8)] public ResourceUse Use { get; init; }
    [Id(7)] public bool FromCache { get; init; }
}
