namespace Aviary.Rollouts;

/// <summary>The canary judged against the stable version over one window: error rate and latency.</summary>
[GenerateSerializer, Immutable, Alias("aviary.Comparison")]
public sealed record Comparison
{
    /// <summary>Two-proportion z-test of the error rates.</summary>
    [Id(0)] public MetricComparison ErrorRate { get; init; } = new();

    /// <summary>Mann–Whitney U test of the latencies; the figures are the medians.</summary>
    [Id(1)] public MetricComparison Latency { get; init; } = new();

    /// <summary>Fail if a metric failed, else no data if one had none, else pass.</summary>
    public Judgement Result =>
        ErrorRate.Result == Judgement.Fail || Latency.Result == Judgement.Fail ? Judgement.Fail
        : ErrorRate.Result == Judgement.NoData || Latency.Result == Judgement.NoData ? Judgement.NoData
        : Judgement.Pass;
}
