namespace Aviary.Metrics;

/// <summary>What a metrics window saw over its last <see cref="Window"/>.</summary>
[GenerateSerializer, Immutable, Alias("aviary.MetricsSnapshot")]
public sealed record MetricsSnapshot
{
    [Id(0)] public long Count { get; init; }
    [Id(1)] public long Errors { get; init; }
    [Id(2)] public double AvgMs { get; init; }
    [Id(3)] public double P50Ms { get; init; }
    [Id(4)] public double P95Ms { get; init; }
    [Id(5)] public double P99Ms { get; init; }
    [Id(6)] public TimeSpan Window { get; init; }

    /// <summary>
    /// The latency histogram the percentiles came from: counts of log-spaced buckets from
    /// <see cref="BucketOffset"/> on (each bucket 10 % wider than the one before). What a rank
    /// test of canary against stable needs; left out of stored verdicts.
    /// </summary>
    [Id(7)] public int[] Buckets { get; init; } = [];
    [Id(8)] public int BucketOffset { get; init; }

    public double ErrorRate => Count == 0 ? 0 : (double)Errors / Count;

    /// <summary>This snapshot without its histogram: what stored verdicts keep.</summary>
    public MetricsSnapshot WithoutBuckets() => Buckets.Length == 0 ? this : this with { Buckets = [], BucketOffset = 0 };

    public static MetricsSnapshot Empty(TimeSpan window) => new() { Window = window };
}
