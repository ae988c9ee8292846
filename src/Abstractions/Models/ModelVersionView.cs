namespace Aviary.Models;

/// <summary>
/// One registered version of a model: what it is (task, algorithm, target, features), how it did
/// on its held-out rows, what it was trained on (the fingerprint) and by which run, and where its
/// files are. An ensemble version names its members instead of a run.
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.ModelVersionView")]
public sealed record ModelVersionView
{
    [Id(0)] public string Version { get; init; } = "";

    /// <summary><c>regression</c> or <c>binary</c>.</summary>
    [Id(1)] public string Task { get; init; } = "";

    [Id(2)] public string Algorithm { get; init; } = "";

    [Id(3)] public string Target { get; init; } = "";

    [Id(4)] public string[] Features { get; init; } = [];

    /// <summary>Held-out figures: r2, mae, rmse (regression); auc, accuracy, f1 (binary).</summary>
    [Id(5)] public Dictionary<string, double> Metrics { get; init; } = [];

    [Id(6)] public Dictionary<string, string> Parameters { get; init; } = [];

    [Id(7)] public DataFingerprint Fingerprint { get; init; } = new();

    /// <summary>The workflow run and task that trained it; empty for an ensemble.</summary>
    [Id(8)] public string Run { get; init; } = "";

    [Id(9)] public string TrainTask { get; init; } = "";

    /// <summary>The model card, relative to the cluster's outputs folder.</summary>
    [Id(10)] public string Card { get; init; } = "";

    /// <summary>The held-out rows it was scored on, relative to the outputs folder: what comparisons use.</summary>
    [Id(11)] public string Holdout { get; init; } = "";

    [Id(12)] public DateTimeOffset RegisteredAt { get; init; }

    [Id(13)] public string RegisteredBy { get; init; } = "";

    /// <summary>An ensemble's member versions; empty for a trained version.</summary>
    [Id(14)] public string[] Members { get; init; } = [];

    /// <summary>How an ensemble combines its members: <c>mean</c> or <c>vote</c>.</summary>
    [Id(15)] public string Combine { get; init; } = "";

    /// <summary>Why it was registered (e.g. "retrained on drift in price, distance").</summary>
    [Id(16)] public string Reason { get; init; } = "";

    public bool IsEnsemble => Members.Length > 0;

    /// <summary>The held-out figures in one short line, by name: "mae 13.022, r2 0.951, rmse 16.397"; only <paramref name="names"/> when given.</summary>
    public string DescribeMetrics(params string[] names) =>
        string.Join(", ", Metrics.Where(m => names.Length == 0 || names.Contains(m.Key)).OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => $"{m.Key} {m.Value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}"));
}
