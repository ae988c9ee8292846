namespace Aviary.Models;

/// <summary>Live values of one feature counted into the bins of its <see cref="FeatureReference"/> (same order, same length).</summary>
[GenerateSerializer, Immutable, Alias("aviary.FeatureCounts")]
public sealed record FeatureCounts
{
    [Id(0)] public string Name { get; init; } = "";

    [Id(1)] public long[] Counts { get; init; } = [];

    /// <summary>Values that were missing or could not be read as the feature's kind.</summary>
    [Id(2)] public long Missing { get; init; }
}
