using Aviary.Metrics;

namespace Aviary.Rollouts;

/// <summary>The outcome of one health check, with the figures it was judged on.</summary>
[GenerateSerializer, Immutable, Alias("aviary.Verdict")]
public sealed record Verdict
{
    [Id(0)] public DateTimeOffset At { get; init; }
    [Id(1)] public int StageIndex { get; init; }
    [Id(2)] public VerdictResult Result { get; init; }
    [Id(3)] public string Reason { get; init; } = "";
    [Id(4)] public MetricsSnapshot Canary { get; init; } = MetricsSnapshot.Empty(TimeSpan.Zero);
    [Id(5)] public MetricsSnapshot Stable { get; init; } = MetricsSnapshot.Empty(TimeSpan.Zero);
    /// <summary>The canary against stable, when the policy's analysis compares them.</summary>
    [Id(6)] public Comparison? Comparison { get; init; }
    /// <summary>Computed under a dry-run policy: shown, never acted on.</summary>
    [Id(7)] public bool DryRun { get; init; }
    /// <summary>Shadow: the compared copies, an "error" being a copy answered differently from stable.</summary>
    [Id(8)] public MetricsSnapshot? Mismatch { get; init; }
}
