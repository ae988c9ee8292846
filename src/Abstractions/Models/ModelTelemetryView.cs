namespace Aviary.Models;

/// <summary>A model's live figures per version over <see cref="Window"/>, and how many predictions wait for a label.</summary>
[GenerateSerializer, Immutable, Alias("aviary.ModelTelemetryView")]
public sealed record ModelTelemetryView
{
    [Id(0)] public string Model { get; init; } = "";

    [Id(1)] public TimeSpan Window { get; init; }

    [Id(2)] public VersionTelemetry[] Versions { get; init; } = [];

    /// <summary>Predictions kept for joining with labels (bounded; the oldest go first).</summary>
    [Id(3)] public int Pending { get; init; }

    /// <summary>Predictions dropped unlabelled because the store was full or they were too old.</summary>
    [Id(4)] public long Expired { get; init; }

    public VersionTelemetry? Find(string version) => Array.Find(Versions, v => v.Version == version);
}
