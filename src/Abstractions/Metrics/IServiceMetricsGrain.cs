namespace Aviary.Metrics;

/// <summary>
/// The recent request outcomes of one service, one sliding window per version, keyed by the
/// service name. Fed by the service's <see cref="Names.Metrics"/> stream (or directly). One grain
/// per service rather than per version: a rollout compares its canary with its stable version in
/// one call, and a service costs one activation however many versions report.
/// </summary>
[Alias("aviary.IServiceMetricsGrain")]
public interface IServiceMetricsGrain : IGrainWithStringKey
{
    /// <summary>Adds a batch of <paramref name="version"/>'s outcomes at the current time.</summary>
    [Alias("Record")]
    Task RecordAsync(string version, SampleBatch batch);

    /// <summary>Count, error rate, average and percentiles of <paramref name="version"/> over the last <paramref name="window"/>.</summary>
    [Alias("GetSnapshot")]
    Task<MetricsSnapshot> GetSnapshotAsync(string version, TimeSpan window);

    /// <summary>Both versions' snapshots over the same window, taken at the same instant.</summary>
    [Alias("Compare")]
    Task<MetricsComparison> CompareAsync(string canaryVersion, string stableVersion, TimeSpan window);
}

/// <summary>A canary's and its stable version's outcomes over the same window.</summary>
[GenerateSerializer, Immutable, Alias("aviary.MetricsComparison")]
public sealed record MetricsComparison([property: Id(0)] MetricsSnapshot Canary, [property: Id(1)] MetricsSnapshot Stable);

/// <summary>One stream event on a service's <see cref="Names.Metrics"/> stream: a batch of one version's outcomes.</summary>
[GenerateSerializer, Immutable, Alias("aviary.VersionSamples")]
public sealed record VersionSamples([property: Id(0)] string Version, [property: Id(1)] SampleBatch Batch);
