namespace Aviary.Models;

/// <summary>
/// How one input feature was distributed in a model's training data, as bins a live summary is
/// counted into: a number by the inner <see cref="Edges"/> (bin i holds values below Edges[i],
/// the last bin the rest), a category by its <see cref="Categories"/> (the last bin holds any
/// other). <see cref="Proportions"/> has one entry per bin and sums to 1.
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.FeatureReference")]
public sealed record FeatureReference
{
    [Id(0)] public string Name { get; init; } = "";

    /// <summary><c>numeric</c> or <c>category</c>.</summary>
    [Id(1)] public string Kind { get; init; } = FeatureKinds.Numeric;

    [Id(2)] public double[] Edges { get; init; } = [];

    [Id(3)] public string[] Categories { get; init; } = [];

    [Id(4)] public double[] Proportions { get; init; } = [];

    /// <summary>Rows the proportions were counted from.</summary>
    [Id(5)] public long Count { get; init; }

    public int Bins => Kind == FeatureKinds.Category ? Categories.Length + 1 : Edges.Length + 1;
}

public static class FeatureKinds
{
    public const string Numeric = "numeric";
    public const string Category = "category";
}
