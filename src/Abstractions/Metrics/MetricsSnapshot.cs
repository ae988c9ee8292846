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

    public double ErrorRate => Count == 0 ? 0 : (double)Errors / Count;

    public static MetricsSnapshot Empty(TimeSpan window) => new() { Window = window };
}
