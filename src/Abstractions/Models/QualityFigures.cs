namespace Aviary.Models;

/// <summary>
/// A version's live quality over a window, from the labels that came back for its predictions.
/// <see cref="Value"/> is the primary figure, higher is better: R² for regression, accuracy for
/// a binary classifier.
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.QualityFigures")]
public sealed record QualityFigures
{
    [Id(0)] public long Labels { get; init; }

    /// <summary><c>r2</c> or <c>accuracy</c>; empty when no label came back.</summary>
    [Id(1)] public string Metric { get; init; } = "";

    [Id(2)] public double Value { get; init; }

    [Id(3)] public double Mae { get; init; }

    [Id(4)] public double Rmse { get; init; }

    [Id(5)] public double F1 { get; init; }
}
