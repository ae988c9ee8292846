using Aviary.Rollouts;
using Orleans.Runtime;
using Orleans.Streams;

namespace Aviary.Tests.Cluster;

/// <summary>
/// Subscribes to a service's rollout events and lets a test wait for the n-th event matching a
/// predicate. A timeout names what was awaited and lists what arrived.
/// </summary>
public sealed class EventProbe : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly List<RolloutEvent> _events = [];
    private readonly List<(Func<IReadOnlyList<RolloutEvent>, bool> Done, TaskCompletionSource Signal)> _waiters = [];
    private StreamSubscriptionHandle<RolloutEvent>? _handle;

    public static async Task<EventProbe> SubscribeAsync(IClusterClient client, string service)
    {
        var probe = new EventProbe();
        var stream = client.GetStreamProvider(Names.StreamProvider).GetStream<RolloutEvent>(StreamId.Create(Names.RolloutEvents, service));
        probe._handle = await stream.SubscribeAsync((e, _) =>
        {
            probe.Add(e);
            return Task.CompletedTask;
        });
        return probe;
    }

    public IReadOnlyList<RolloutEvent> Events
    {
        get
        {
            lock (_events)
                return _events.ToArray();
        }
    }

    public IReadOnlyList<RolloutEventKind> Kinds => Events.Select(e => e.Kind).ToArray();

    /// <summary>Waits until at least <paramref name="count"/> events of <paramref name="kind"/> arrived.</summary>
    public Task<RolloutEvent> WaitForAsync(RolloutEventKind kind, int count = 1, string phase = "") =>
        WaitForAsync(e => e.Kind == kind, count, $"{count}× {kind}{(phase.Length > 0 ? " (" + phase + ")" : "")}");

    public async Task<RolloutEvent> WaitForAsync(Func<RolloutEvent, bool> match, int count, string description)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool Done(IReadOnlyList<RolloutEvent> events) => events.Count(match) >= count;
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
            var seen = string.Join(", ", Events.Select(e => $"{e.Kind}@{e.StageIndex}"));
            throw new TimeoutException($"waited {DefaultTimeout.TotalSeconds} s for {description}; events so far: [{seen}]");
        }
        lock (_events)
            return _events.Where(match).ElementAt(count - 1);
    }

    private void Add(RolloutEvent e)
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
        if (_handle is null)
            return;
        try
        {
            await _handle.UnsubscribeAsync();
        }
        catch (ObjectDisposedException)
        {
            // The cluster's client is already gone, and its subscriptions with it.
        }
    }
}
