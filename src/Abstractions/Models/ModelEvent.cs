namespace Aviary.Models;

/// <summary>Something that happened to a model: an alias moved, drift found, a retraining run, a rollout started or rolled back.</summary>
[GenerateSerializer, Immutable, Alias("aviary.ModelEvent")]
public sealed record ModelEvent
{
    [Id(0)] public string Model { get; init; } = "";

    [Id(1)] public ModelEventKind Kind { get; init; }

    [Id(2)] public string? Version { get; init; }

    [Id(3)] public DateTimeOffset At { get; init; }

    [Id(4)] public string Message { get; init; } = "";

    /// <summary>Who: a caller, or <c>aviary:model-monitor</c> for what Aviary did by itself.</summary>
    [Id(5)] public string By { get; init; } = "";
}
