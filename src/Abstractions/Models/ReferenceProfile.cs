namespace Aviary.Models;

/// <summary>A model's training inputs, feature by feature: what live inputs are compared with to find drift.</summary>
[GenerateSerializer, Immutable, Alias("aviary.ReferenceProfile")]
public sealed record ReferenceProfile
{
    [Id(0)] public FeatureReference[] Features { get; init; } = [];

    [Id(1)] public long Rows { get; init; }
}
