using Orleans.Runtime;
using Orleans.Streams;

namespace Aviary.Metrics;

/// <summary>The <see cref="Names.Metrics"/> stream of one version, which its metrics window subscribes to.</summary>
public static class SampleStream
{
    /// <summary>Samples per stream event: big enough to be cheap, small enough to keep events light.</summary>
    public const int MaxBatch = 8192;

    public static IAsyncStream<SampleBatch> For(IStreamProvider provider, string service, string version) =>
        provider.GetStream<SampleBatch>(StreamId.Create(Names.Metrics, Names.WindowKey(service, version)));

    /// <summary>
    /// Publishes <paramref name="samples"/> in batches of at most <see cref="MaxBatch"/>.
    /// Memory streams refuse events when their queue is full (<see cref="InvalidOperationException"/>):
    /// callers decide whether to retry or report back-pressure.
    /// </summary>
    public static async Task PublishAsync(IAsyncStream<SampleBatch> stream, ReadOnlyMemory<Sample> samples)
    {
        for (var offset = 0; offset < samples.Length; offset += MaxBatch)
        {
            var count = Math.Min(MaxBatch, samples.Length - offset);
            await stream.OnNextAsync(SampleBatch.From(samples.Span.Slice(offset, count)));
        }
    }
}
