namespace Aviary.Models;

/// <summary>What a model's monitor last saw and what it is doing about it.</summary>
[GenerateSerializer, Immutable, Alias("aviary.ModelMonitorView")]
public sealed record ModelMonitorView
{
    [Id(0)] public string Model { get; init; } = "";

    /// <summary>The version the model's service serves (its stable version), if any.</summary>
    [Id(1)] public string? Serving { get; init; }

    [Id(2)] public DateTimeOffset? LastCheckAt { get; init; }

    /// <summary>The serving version's drift per feature at the last check; empty when not judged (too few live requests).</summary>
    [Id(3)] public FeatureDrift[] Drift { get; init; } = [];

    [Id(4)] public bool Drifted { get; init; }

    /// <summary>What the monitor is doing: <c>watching</c>, <c>retraining</c>, <c>shadow</c>, <c>canary</c> or <c>challenger</c>.</summary>
    [Id(5)] public string Phase { get; init; } = ModelPhases.Watching;

    [Id(6)] public string? RetrainRun { get; init; }

    /// <summary>The version being rolled out, or run as challenger.</summary>
    [Id(7)] public string? Candidate { get; init; }

    [Id(8)] public string? RolloutId { get; init; }

    /// <summary>The last version that served without falling below the quality floor: where a rollback goes.</summary>
    [Id(9)] public string? LastGood { get; init; }

    /// <summary>Why the monitor did nothing, or what it did, at the last check.</summary>
    [Id(10)] public string Note { get; init; } = "";
}

public static class ModelPhases
{
    public const string Watching = "watching";
    public const string Retraining = "retraining";
    public const string Shadow = "shadow";
    public const string Canary = "canary";
    public const string Challenger = "challenger";
}
