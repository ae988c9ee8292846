using Aviary.Metrics;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Aviary.Grains.Metrics;

/// <summary>
/// One service's recent request outcomes, a <see cref="SlidingWindow"/> per version. Subscribed
/// implicitly to the service's <see cref="Names.Metrics"/> stream. The data is deliberately not
/// persisted: it is the last seconds of traffic, and a verdict judged on an empty window after a
/// restart is inconclusive, never healthy.
/// </summary>
[ImplicitStreamSubscription(Names.Metrics)]
public sealed class ServiceMetricsGrain(AviaryClock clock) : Grain, IServiceMetricsGrain, IStreamSubscriptionObserver, IAsyncObserver<VersionSamples>
{
    // Usually two entries (stable and canary); a version that stopped reporting is dropped once
    // its slots have aged out.
    private readonly Dictionary<string, SlidingWindow> _windows = new(2, StringComparer.Ordinal);

    // Retention grows to the longest window anyone asks for (a rollout asks for its check
    // interval), so a service checked every second keeps two slots per version, not a minute.
    private TimeSpan _retention = TimeSpan.Zero;

    Task IServiceMetricsGrain.RecordAsync(string version, SampleBatch batch)
    {
        Identifiers.ValidateVersion(version);
        return Record(version, batch);
    }

    Task<MetricsSnapshot> IServiceMetricsGrain.GetSnapshotAsync(string version, TimeSpan window)
    {
        Identifiers.ValidateVersion(version);
        Retain(window);
        return Task.FromResult(Snapshot(version, window, clock.Now));
    }

    Task<MetricsComparison> IServiceMetricsGrain.CompareAsync(string canaryVersion, string stableVersion, TimeSpan window)
    {
        Identifiers.ValidateVersion(canaryVersion, "canaryVersion");
        Identifiers.ValidateVersion(stableVersion, "stableVersion");
        Retain(window);
        var now = clock.Now;
        return Task.FromResult(new MetricsComparison(Snapshot(canaryVersion, window, now), Snapshot(stableVersion, window, now)));
    }

    async Task IStreamSubscriptionObserver.OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        await handleFactory.Create<VersionSamples>().ResumeAsync(this);
    }

    Task IAsyncObserver<VersionSamples>.OnNextAsync(VersionSamples item, StreamSequenceToken? token) => Record(item.Version, item.Batch);

    Task IAsyncObserver<VersionSamples>.OnCompletedAsync() => Task.CompletedTask;

    Task IAsyncObserver<VersionSamples>.OnErrorAsync(Exception ex) => Task.CompletedTask;

    private Task Record(string version, SampleBatch batch)
    {
        var now = clock.Now;
        if (!_windows.TryGetValue(version, out var window))
        {
            DropIdleWindows(now);
            _windows[version] = window = new SlidingWindow(_retention);
        }
        window.Add(batch, now);
        AviaryMeters.SamplesIngested.Add(batch.Count);
        return Task.CompletedTask;
    }

    private MetricsSnapshot Snapshot(string version, TimeSpan window, DateTimeOffset now) =>
        _windows.TryGetValue(version, out var slots) ? slots.Snapshot(window, now) : MetricsSnapshot.Empty(window);

    private void Retain(TimeSpan window)
    {
        if (window <= TimeSpan.Zero)
            throw new Errors.AviaryValidationException("window", "must be positive");
        if (window <= _retention)
            return;
        _retention = window < SlidingWindow.MaxRetention ? window : SlidingWindow.MaxRetention;
        foreach (var slots in _windows.Values)
            slots.Retain(_retention);
    }

    private void DropIdleWindows(DateTimeOffset now)
    {
        foreach (var (version, slots) in _windows)
        {
            if (slots.IsEmpty(now))
                _windows.Remove(version);
        }
    }
}
