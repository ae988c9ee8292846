namespace Aviary.Models;

/// <summary>Two versions scored on the same held-out rows, and whether the challenger is better by the margin on the primary metric.</summary>
[GenerateSerializer, Immutable, Alias("aviary.ModelComparisonView")]
public sealed record ModelComparisonView
{
    [Id(0)] public string Model { get; init; } = "";

    [Id(1)] public string Champion { get; init; } = "";

    [Id(2)] public string Challenger { get; init; } = "";

    /// <summary>The held-out rows both were scored on (relative to the outputs folder) and how many.</summary>
    [Id(3)] public string Holdout { get; init; } = "";

    [Id(4)] public long Rows { get; init; }

    /// <summary>The primary metric: <c>rmse</c> (regression, lower is better) or <c>auc</c> (binary).</summary>
    [Id(5)] public string Metric { get; init; } = "";

    [Id(6)] public Dictionary<string, double> ChampionMetrics { get; init; } = [];

    [Id(7)] public Dictionary<string, double> ChallengerMetrics { get; init; } = [];

    [Id(8)] public double Margin { get; init; }

    [Id(9)] public bool ChallengerBetter { get; init; }

    [Id(10)] public string Reason { get; init; } = "";
}
