using Aviary.Metrics;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Aviary.Grains.Metrics;

/// <summary>
/// One version's recent request outcomes. Subscribed implicitly to its <see cref="Names.Metrics"/>
/// stream; the data is deliberately not persisted: it is a sliding window of the last seconds,
/// and a verdict judged on an empty window after a restart is inconclusive, never healthy.
/// </summary>
[ImplicitStreamSubscription(Names.Metrics)]
public sealed class MetricsWindowGrain(AviaryClock clock) : Grain, IMetricsWindowGrain, IStreamSubscriptionObserver, IAsyncObserver<SampleBatch>
{
    // Retention grows to the longest window anyone asks for (a rollout asks for its check interval),
    // so a window with 1 s checks keeps two slots, not a minute of them.
    private readonly SlidingWindow _window = new(TimeSpan.Zero);

    Task IMetricsWindowGrain.RecordAsync(SampleBatch batch) => Record(batch);

    Task<MetricsSnapshot> IMetricsWindowGrain.GetSnapshotAsync(TimeSpan window)
    {
        if (window <= TimeSpan.Zero)
            throw new Errors.AviaryValidationException("window", "must be positive");
        return Task.FromResult(_window.Snapshot(window, clock.Now));
    }

    async Task IStreamSubscriptionObserver.OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        await handleFactory.Create<SampleBatch>().ResumeAsync(this);
    }

    Task IAsyncObserver<SampleBatch>.OnNextAsync(SampleBatch item, StreamSequenceToken? token) => Record(item);

    Task IAsyncObserver<SampleBatch>.OnCompletedAsync() => Task.CompletedTask;

    Task IAsyncObserver<SampleBatch>.OnErrorAsync(Exception ex) => Task.CompletedTask;

    private Task Record(SampleBatch batch)
    {
        _window.Add(batch, clock.Now);
        AviaryMeters.SamplesIngested.Add(batch.Count);
        return Task.CompletedTask;
    }
}
