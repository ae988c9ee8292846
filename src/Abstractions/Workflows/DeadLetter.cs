namespace Aviary.Workflows;

/// <summary>A task that failed its last attempt: what it was asked, how it failed, how often.</summary>
[GenerateSerializer, Immutable, Alias("aviary.DeadLetter")]
public sealed record DeadLetter
{
    [Id(0)] public string RunId { get; init; } = "";
    [Id(1)] public string TaskId { get; init; } = "";
    [Id(2)] public string Agent { get; init; } = "";
    [Id(3)] public Dictionary<string, string> Input { get; init; } = [];
    [Id(4)] public int Attempts { get; init; }
    [Id(5)] public string ErrorKind { get; init; } = "";
    [Id(6)] public string Error { get; init; } = "";
    [Id(7)] public DateTimeOffset At { get; init; }

    public string Key => $"{RunId}:{TaskId}";
}
