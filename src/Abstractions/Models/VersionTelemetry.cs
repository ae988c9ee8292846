namespace Aviary.Models;

/// <summary>One version's live figures over a window: requests scored, inputs by reference bin, quality from labels, agreement when shadowed.</summary>
[GenerateSerializer, Immutable, Alias("aviary.VersionTelemetry")]
public sealed record VersionTelemetry
{
    [Id(0)] public string Version { get; init; } = "";

    [Id(1)] public long Requests { get; init; }

    /// <summary>Requests it scored as a shadow (copies no client saw).</summary>
    [Id(2)] public long ShadowRequests { get; init; }

    [Id(3)] public FeatureCounts[] Features { get; init; } = [];

    [Id(4)] public QualityFigures Quality { get; init; } = new();

    [Id(5)] public AgreementFigures Agreement { get; init; } = new();
}
