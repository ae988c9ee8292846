using Orleans.Runtime;
using Orleans.Streams;

namespace Aviary.Tests.Cluster;

/// <summary>
/// Subscribes to one stream and lets a test wait for the n-th event matching a predicate.
/// A timeout names what was awaited and lists what arrived.
/// </summary>
public class StreamProbe<T> : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly List<T> _events = [];
    private readonly List<(Func<IReadOnlyList<T>, bool> Done, TaskCompletionSource Signal)> _waiters = [];
    private Func<Task>? _unsubscribe;

    /// <summary>Subscribes; events that fail <paramref name="keep"/> (another service's, on a shared stream) are dropped.</summary>
    protected Task SubscribeAsync(IClusterClient client, string streamNamespace, string key, Func<T, bool>? keep = null) =>
        SubscribeAsync<T>(client, streamNamespace, key, e => keep is null || keep(e) ? [e] : []);

    /// <summary>Subscribes to a stream whose messages each carry several events (<paramref name="unpack"/> gives them in order).</summary>
    protected async Task SubscribeAsync<TMessage>(IClusterClient client, string streamNamespace, string key, Func<TMessage, IEnumerable<T>> unpack)
    {
        var stream = client.GetStreamProvider(Names.StreamProvider).GetStream<TMessage>(StreamId.Create(streamNamespace, key));
        var handle = await stream.SubscribeAsync((message, _) =>
        {
            foreach (var e in unpack(message))
                Add(e);
            return Task.CompletedTask;
        });
        _unsubscribe = handle.UnsubscribeAsync;
    }

    public IReadOnlyList<T> Events
    {
        get
        {
            lock (_events)
                return _events.ToArray();
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> events match; returns the <paramref name="count"/>-th.</summary>
    public async Task<T> WaitForAsync(Func<T, bool> match, int count, string description)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool Done(IReadOnlyList<T> events) => events.Count(match) >= count;
        lock (_events)
        {
            if (Done(_events))
                return _events.Where(match).ElementAt(count - 1);
            _waiters.Add((Done, signal));
        }
        try
        {
            await signal.Task.WaitAsync(DefaultTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"waited {DefaultTimeout.TotalSeconds} s for {description}; events so far: [{string.Join(", ", Events.Select(Describe))}]");
        }
        lock (_events)
            return _events.Where(match).ElementAt(count - 1);
    }

    protected virtual string Describe(T e) => e?.ToString() ?? "";

    private void Add(T e)
    {
        lock (_events)
        {
            _events.Add(e);
            foreach (var waiter in _waiters.ToArray())
            {
                if (waiter.Done(_events))
                {
                    _waiters.Remove(waiter);
                    waiter.Signal.TrySetResult();
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_unsubscribe is null)
            return;
        try
        {
            await _unsubscribe();
        }
        catch (ObjectDisposedException)
        {
            // The cluster's client is already gone, and its subscriptions with it.
        }
    }
}
