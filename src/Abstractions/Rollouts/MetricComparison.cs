namespace Aviary.Rollouts;

/// <summary>
/// One metric of canary against stable: the figures compared (error rate as a fraction, or
/// median latency in ms), the one-sided p-value of "the canary is worse", and the result.
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.MetricComparison")]
public sealed record MetricComparison
{
    [Id(0)] public Judgement Result { get; init; } = Judgement.NoData;
    [Id(1)] public double PValue { get; init; } = 1;
    [Id(2)] public double Canary { get; init; }
    [Id(3)] public double Stable { get; init; }
}
