namespace Aviary.Metrics;

/// <summary>
/// A sliding window of request outcomes for one version of one service, keyed by
/// <see cref="Names.WindowKey"/>. Fed by the <see cref="Names.Metrics"/> stream (or directly).
/// </summary>
[Alias("aviary.IMetricsWindowGrain")]
public interface IMetricsWindowGrain : IGrainWithStringKey
{
    /// <summary>Adds a batch of outcomes at the current time.</summary>
    [Alias("Record")]
    Task RecordAsync(SampleBatch batch);

    /// <summary>Count, error rate, average and percentiles over the last <paramref name="window"/>.</summary>
    [Alias("GetSnapshot")]
    Task<MetricsSnapshot> GetSnapshotAsync(TimeSpan window);
}
