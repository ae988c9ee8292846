namespace Aviary.Rollouts;

/// <summary>Published on <see cref="Names.RolloutEvents"/> (stream <see cref="Names.RolloutEventsKey"/> of the service) after the change is persisted.</summary>
[GenerateSerializer, Immutable, Alias("aviary.RolloutEvent")]
public sealed record RolloutEvent
{
    [Id(0)] public string RolloutId { get; init; } = "";
    [Id(1)] public string Service { get; init; } = "";
    [Id(2)] public string Version { get; init; } = "";
    [Id(3)] public RolloutEventKind Kind { get; init; }
    [Id(4)] public RolloutStatus Status { get; init; }
    [Id(5)] public int StageIndex { get; init; }
    [Id(6)] public int Weight { get; init; }
    [Id(7)] public DateTimeOffset At { get; init; }
    [Id(8)] public string Message { get; init; } = "";
    [Id(9)] public Verdict? Verdict { get; init; }
}
