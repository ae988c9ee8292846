using Orleans.Runtime;
using Orleans.Streams;

namespace Aviary.Metrics;

/// <summary>A service's <see cref="Names.Metrics"/> stream, which its <see cref="IServiceMetricsGrain"/> subscribes to.</summary>
public static class SampleStream
{
    /// <summary>Samples per stream event: big enough to be cheap, small enough to keep events light.</summary>
    public const int MaxBatch = 8192;

    public static IAsyncStream<VersionSamples> For(IStreamProvider provider, string service) =>
        provider.GetStream<VersionSamples>(StreamId.Create(Names.Metrics, service));

    /// <summary>
    /// Publishes <paramref name="version"/>'s <paramref name="samples"/> in batches of at most <see cref="MaxBatch"/>.
    /// Memory streams refuse events when their queue is full (<see cref="InvalidOperationException"/>):
    /// callers decide whether to retry or report back-pressure.
    /// </summary>
    public static async Task PublishAsync(IAsyncStream<VersionSamples> stream, string version, ReadOnlyMemory<Sample> samples)
    {
        for (var offset = 0; offset < samples.Length; offset += MaxBatch)
        {
            var count = Math.Min(MaxBatch, samples.Length - offset);
            await stream.OnNextAsync(new VersionSamples(version, SampleBatch.From(samples.Span.Slice(offset, count))));
        }
    }
}
