using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Aviary.Deployments;
using Aviary.Grains;
using Aviary.Metrics;
using Aviary.Rollouts;
using Aviary.Workflows;
using Orleans.Runtime;
using Orleans.Streams;

namespace Aviary.Silo.Feeds;

/// <summary>
/// The silo's side of the live feeds: follows the cluster's event streams (rollout and workflow
/// events on their partitioned streams, agent pool events per agent kind) once a client wants
/// them, gives every change an id, keeps the last <see cref="FeedOptions.Replay"/> so a client that
/// reconnects with Last-Event-ID resumes exactly, and fans changes out to each client's bounded
/// queue. Publishing never waits on a client: one whose queue is full is dropped with the reason.
/// Every second it pushes metric aggregates per service and version to those who want them.
/// </summary>
public sealed partial class EventHub(
    IClusterClient client, RolloutOperations rollouts, WorkflowOperations workflows, FeedOptions options, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<EventHub> logger)
    : BackgroundService
{
    /// <summary>A stream nobody has wanted for this long is let go.</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan MetricsPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Ids are <c>epoch-sequence</c>: an id from another silo or an earlier process is not resumed from.</summary>
    private readonly string _epoch = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private readonly Lock _gate = new();
    private readonly Queue<FeedEvent> _recent = new();
    private readonly List<FeedSubscriber> _subscribers = [];
    private readonly Dictionary<FeedKind, Source> _sources = [];
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private long _sequence;

    /// <summary>The newest sequence no longer in <see cref="_recent"/>.</summary>
    private long _evictedThrough;

    /// <summary>Events held in <see cref="_recent"/> (a workflow message holds up to 512): what <see cref="FeedOptions.Replay"/> bounds.</summary>
    private long _recentWeight;

    private sealed class Source
    {
        public long CoveredFrom;
        public DateTimeOffset LastWanted;
        public readonly List<Func<Task>> Unsubscribe = [];
    }

    /// <summary>
    /// Opens a feed: follows the streams the filter needs, registers the client, and gives what it
    /// must be sent first: the events it missed since <paramref name="lastEventId"/>, or else (with a
    /// reset notice when it asked to resume) a snapshot of the current state.
    /// </summary>
    public async Task<FeedSubscriber> OpenAsync(FeedFilter filter, string? lastEventId, string transport, CancellationToken cancellationToken)
    {
        if (FeedMeters.Connections >= options.MaxConnections)
            throw new FeedFullException(options.MaxConnections);
        await FollowAsync(filter, cancellationToken);

        var subscriber = new FeedSubscriber(filter, transport, options.QueueCapacity);
        long registered;
        List<FeedEvent>? missed;
        lock (_gate)
        {
            if (_subscribers.Count >= options.MaxConnections)
                throw new FeedFullException(options.MaxConnections);
            registered = _sequence;
            missed = Resumable(filter, lastEventId, registered);
            _subscribers.Add(subscriber);
        }
        FeedMeters.Opened(transport);

        var now = time.GetUtcNow();
        var prelude = new List<FeedEvent>();
        if (missed is not null)
        {
            prelude.AddRange(missed);
        }
        else
        {
            if (lastEventId is not null)
                prelude.Add(Notice(FeedNotices.Reset, now, new { reason = "the events since Last-Event-ID are no longer kept here: a snapshot follows", lastEventId }));
            var id = $"{_epoch}-{registered}";
            try
            {
                prelude.AddRange(await SnapshotAsync(filter, id, registered, now));
            }
            catch
            {
                Close(subscriber);
                throw;
            }
            prelude.Add(Notice(FeedNotices.SnapshotComplete, now, new { lastEventId = id }) with { Id = id, Sequence = registered });
        }
        subscriber.Prelude = prelude;
        return subscriber;
    }

    /// <summary>A client left: forget it.</summary>
    public void Close(FeedSubscriber subscriber)
    {
        bool removed;
        lock (_gate)
            removed = _subscribers.Remove(subscriber);
        if (removed)
            FeedMeters.Closed(subscriber.Transport);
        subscriber.Queue.Writer.TryComplete();
    }

    /// <summary>Disconnects a client with a reason (counted in <c>aviary_feed_dropped</c>).</summary>
    public void Drop(FeedSubscriber subscriber, string reason, string detail)
    {
        if (subscriber.Drop(reason, detail))
            FeedMeters.Dropped(reason);
        Close(subscriber);
    }

    /// <summary>The events after <paramref name="lastEventId"/> the filter wants, or null when they cannot all be given.</summary>
    private List<FeedEvent>? Resumable(FeedFilter filter, string? lastEventId, long registered)
    {
        if (lastEventId is null || lastEventId.Split('-') is not [var epoch, var digits] || epoch != _epoch
            || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || last > registered || last < _evictedThrough)
            return null;
        foreach (var kind in filter.Kinds)
        {
            if (kind == FeedKind.Metrics)
                continue; // aggregates are not replayed: the next comes within a second
            if (!_sources.TryGetValue(kind, out var source) || source.CoveredFrom > last)
                return null;
        }
        var missed = _recent.Where(e => e.Sequence > last && filter.Matches(e)).ToList();
        return missed.Count <= options.QueueCapacity ? missed : null;
    }

    /// <summary>A notice of the feed itself (not replayed, no id).</summary>
    public static FeedEvent Notice(string type, DateTimeOffset at, object data) => new(null, FeedKind.Feed, type, null, null, at, data);

    /// <summary>Gives a change its id, keeps it for replay, and offers it to every client whose filter wants it.</summary>
    private void Publish(FeedKind kind, string type, string? service, string? run, DateTimeOffset at, object data)
    {
        List<FeedSubscriber>? slow;
        lock (_gate)
        {
            var sequence = ++_sequence;
            var e = new FeedEvent($"{_epoch}-{sequence}", kind, type, service, run, at, data) { Sequence = sequence };
            if (options.Replay > 0)
            {
                _recent.Enqueue(e);
                _recentWeight += Weight(e);
                while (_recentWeight > options.Replay && _recent.Count > 0)
                {
                    var evicted = _recent.Dequeue();
                    _recentWeight -= Weight(evicted);
                    _evictedThrough = evicted.Sequence;
                }
            }
            else
            {
                _evictedThrough = sequence;
            }
            slow = FanOutLocked(e);
        }
        DropSlow(slow);
    }

    private static long Weight(FeedEvent e) => e.Data is WorkflowEvents events ? Math.Max(1, events.Events.Length) : 1;

    /// <summary>Offers a message that is not replayed (a metric aggregate) to the clients that want it.</summary>
    private void Offer(FeedEvent e)
    {
        List<FeedSubscriber>? slow;
        lock (_gate)
            slow = FanOutLocked(e);
        DropSlow(slow);
    }

    /// <summary>Queues <paramref name="e"/> for each client that wants it (under <see cref="_gate"/>); returns those whose queue was full.</summary>
    private List<FeedSubscriber>? FanOutLocked(FeedEvent e)
    {
        List<FeedSubscriber>? slow = null;
        foreach (var subscriber in _subscribers)
        {
            if (subscriber.Filter.Matches(e) && !subscriber.Queue.Writer.TryWrite(e))
                (slow ??= []).Add(subscriber);
        }
        return slow;
    }

    private void DropSlow(List<FeedSubscriber>? slow)
    {
        foreach (var subscriber in slow ?? [])
            Drop(subscriber, "slow-consumer", $"more than {options.QueueCapacity} events waiting to be sent");
    }

    /// <summary>Subscribes to the streams of the filter's kinds that are not followed yet.</summary>
    private async Task FollowAsync(FeedFilter filter, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            foreach (var kind in filter.Kinds)
            {
                if (_sources.TryGetValue(kind, out var known))
                    known.LastWanted = now;
            }
            if (filter.Kinds.All(k => k == FeedKind.Metrics || _sources.ContainsKey(k)))
                return;
        }
        await _subscribing.WaitAsync(cancellationToken);
        try
        {
            foreach (var kind in filter.Kinds)
            {
                bool followed;
                lock (_gate)
                    followed = kind == FeedKind.Metrics || _sources.ContainsKey(kind);
                if (followed)
                    continue;
                var source = new Source { LastWanted = now };
                var provider = client.GetStreamProvider(Names.StreamProvider);
                var subscriptions = kind switch
                {
                    FeedKind.Rollout => Enumerable.Range(0, Names.RolloutEventPartitions).Select(p =>
                        Subscribe<RolloutEvent>(provider, Names.RolloutEvents, $"p{p}", kind, e =>
                            Publish(FeedKind.Rollout, JsonNamingPolicy.KebabCaseLower.ConvertName(e.Kind.ToString()), e.Service, null, e.At, e))),
                    FeedKind.Workflow => Enumerable.Range(0, Names.WorkflowEventPartitions).Select(p =>
                        Subscribe<WorkflowEventBatch>(provider, Names.WorkflowEvents, $"p{p}", kind, batch =>
                            Publish(FeedKind.Workflow, "events", null, batch.RunId, batch.At, new WorkflowEvents(batch.RunId, [.. batch.Events])))),
                    _ => AgentKinds.All.Select(agent =>
                        Subscribe<AgentPoolEvent>(provider, Names.AgentEvents, agent, kind, e =>
                            Publish(FeedKind.Agent, e.Kind, null, null, e.At, e))),
                };
                var attempts = subscriptions.ToList();
                try
                {
                    await Task.WhenAll(attempts);
                }
                catch
                {
                    // Some partitions subscribed, some not: let go of those that did, or they would publish twice later.
                    await UnsubscribeAllAsync(attempts.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
                    throw;
                }
                source.Unsubscribe.AddRange(attempts.Select(t => t.Result));
                lock (_gate)
                {
                    // Events from here on are all seen: a client whose last id is at least this resumes.
                    source.CoveredFrom = _sequence;
                    _sources[kind] = source;
                }
                LogFollowing(logger, kind);
            }
        }
        finally
        {
            _subscribing.Release();
        }
    }

    private async Task<Func<Task>> Subscribe<T>(IStreamProvider provider, string streamNamespace, string key, FeedKind kind, Action<T> onNext)
    {
        var handle = await provider.GetStream<T>(StreamId.Create(streamNamespace, key)).SubscribeAsync(
            (item, _) =>
            {
                onNext(item);
                return Task.CompletedTask;
            },
            ex =>
            {
                Lost(kind, ex);
                return Task.CompletedTask;
            });
        return handle.UnsubscribeAsync;
    }

    /// <summary>A stream failed: its clients may have missed events, so they are dropped (they reconnect and get a snapshot).</summary>
    private void Lost(FeedKind kind, Exception ex)
    {
        LogStreamLost(logger, ex, kind);
        List<FeedSubscriber> affected;
        Source? lost;
        lock (_gate)
        {
            _sources.Remove(kind, out lost);
            affected = _subscribers.Where(s => s.Filter.Wants(kind)).ToList();
        }
        foreach (var subscriber in affected)
            Drop(subscriber, "source-lost", $"the {kind.ToString().ToLowerInvariant()} stream failed: reconnect for a snapshot");
        // The kind's other partitions are let go too: the next client subscribes to all of them afresh.
        if (lost is not null)
            _ = UnsubscribeAllAsync(lost.Unsubscribe);
    }

    /// <summary>Unsubscribes each, whatever the others do (best effort: a silo that went away forgets them anyway).</summary>
    private async Task UnsubscribeAllAsync(IEnumerable<Func<Task>> unsubscribes)
    {
        foreach (var unsubscribe in unsubscribes)
        {
            try
            {
                await unsubscribe();
            }
            catch (Exception ex)
            {
                LogUnsubscribeFailed(logger, ex);
            }
        }
    }

    /// <summary>The silo is stopping: every feed ends now, so that none holds the shutdown up (clients reconnect to another silo).</summary>
    private void DropAll()
    {
        List<FeedSubscriber> all;
        lock (_gate)
            all = [.. _subscribers];
        foreach (var subscriber in all)
            Drop(subscriber, "shutdown", "the silo is stopping: reconnect");
    }

    private async Task<List<FeedEvent>> SnapshotAsync(FeedFilter filter, string id, long sequence, DateTimeOffset now)
    {
        var events = new List<FeedEvent>();
        // Without ids: a client cut off in the middle of a snapshot resumes from before it (a reset and a new one),
        // not from its end; only snapshot-complete carries the id to resume from.
        FeedEvent Snapshot(FeedKind kind, string? service, string? run, object data) =>
            new(null, kind, "snapshot", service, run, now, data);

        if (filter.Wants(FeedKind.Rollout))
        {
            foreach (var deployment in await DeploymentsAsync(filter.Service))
                events.Add(Snapshot(FeedKind.Rollout, deployment.Service, null, new RolloutSnapshot(deployment, await rollouts.GetLatestRolloutAsync(deployment.Service))));
        }
        if (filter.Wants(FeedKind.Workflow))
        {
            var runs = filter.Run is { } run
                ? await workflows.ExistsAsync(run) ? [await workflows.GetAsync(run)] : []
                : await workflows.ListAsync();
            events.AddRange(runs.Select(v => Snapshot(FeedKind.Workflow, null, v.RunId, v)));
        }
        if (filter.Wants(FeedKind.Agent))
            events.AddRange((await workflows.AgentPoolsAsync()).Select(p => Snapshot(FeedKind.Agent, null, null, p)));
        if (filter.Wants(FeedKind.Metrics))
            events.AddRange(await AggregatesAsync(await DeploymentsAsync(filter.Service), now));
        return events;
    }

    private async Task<DeploymentView[]> DeploymentsAsync(string? service)
    {
        if (service is null)
            return await rollouts.ListAsync();
        try
        {
            return [await rollouts.GetDeploymentAsync(service)];
        }
        catch (Aviary.Errors.AviaryNotFoundException)
        {
            return []; // a client may wait for a service that does not exist yet
        }
    }

    /// <summary>One aggregate per service: each version it routes to, over the last <see cref="FeedOptions.MetricsWindow"/>.</summary>
    private async Task<List<FeedEvent>> AggregatesAsync(IEnumerable<DeploymentView> deployments, DateTimeOffset now)
    {
        var window = options.MetricsWindow;
        var events = new List<FeedEvent>();
        foreach (var deployment in deployments)
        {
            var versions = new List<(string Version, string Role)> { (deployment.StableVersion, "stable") };
            if (deployment.CanaryVersion is { } canary && canary != deployment.StableVersion)
                versions.Add((canary, "canary"));
            foreach (var share in deployment.Split)
            {
                if (versions.All(v => v.Version != share.Version))
                    versions.Add((share.Version, "split"));
            }
            var metrics = client.GetGrain<IServiceMetricsGrain>(deployment.Service);
            var snapshots = await Task.WhenAll(versions.Select(v => metrics.GetSnapshotAsync(v.Version, window)));
            var figures = versions.Select((v, i) => VersionAggregate.Of(v.Version, v.Role, snapshots[i])).ToArray();
            events.Add(new FeedEvent(null, FeedKind.Metrics, "aggregate", deployment.Service, null, now,
                new MetricsAggregate(deployment.Service, window.TotalSeconds, figures)));
        }
        return events;
    }

    /// <summary>Each second: aggregates for the services some client follows; and letting go of streams nobody wants.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stopping = lifetime.ApplicationStopping.Register(DropAll);
        using var timer = new PeriodicTimer(MetricsPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await PushAggregatesAsync();
                    await LetGoAsync();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogTickFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task PushAggregatesAsync()
    {
        HashSet<string>? services = [];
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                if (!subscriber.Filter.Wants(FeedKind.Metrics))
                    continue;
                if (subscriber.Filter.Service is null)
                {
                    services = null;
                    break;
                }
                services.Add(subscriber.Filter.Service);
            }
        }
        if (services is { Count: 0 })
            return;
        var deployments = services is null
            ? await rollouts.ListAsync()
            : (await Task.WhenAll(services.Select(DeploymentsAsync))).SelectMany(d => d).ToArray();
        foreach (var e in await AggregatesAsync(deployments, time.GetUtcNow()))
            Offer(e);
    }

    private async Task LetGoAsync()
    {
        var now = time.GetUtcNow();
        List<Source> idle = [];
        lock (_gate)
        {
            foreach (var (kind, source) in _sources.ToArray())
            {
                if (_subscribers.Any(s => s.Filter.Wants(kind)))
                    source.LastWanted = now;
                else if (now - source.LastWanted > Linger)
                {
                    _sources.Remove(kind);
                    idle.Add(source);
                }
            }
        }
        foreach (var source in idle)
            await UnsubscribeAllAsync(source.Unsubscribe);
    }

    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Live feeds follow the {Kind} events")]
    private static partial void LogFollowing(ILogger logger, FeedKind kind);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "The {Kind} event stream failed: its live feed clients were dropped to reconnect")]
    private static partial void LogStreamLost(ILogger logger, Exception exception, FeedKind kind);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Live feed aggregates failed this second")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Debug, Message = "A live feed's stream subscription could not be let go")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception);
}

/// <summary>One client of a live feed: its filter and its bounded queue.</summary>
public sealed class FeedSubscriber(FeedFilter filter, string transport, int capacity)
{
    private readonly CancellationTokenSource _dropped = new();
    private int _dropping;

    /// <summary>Cancelled when the hub drops this client: a write stuck on a client that does not read ends with it.</summary>
    public CancellationToken Dropped => _dropped.Token;

    public FeedFilter Filter { get; } = filter;

    public string Transport { get; } = transport;

    public Channel<FeedEvent> Queue { get; } = Channel.CreateBounded<FeedEvent>(new BoundedChannelOptions(capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: the hub drops the client
    });

    /// <summary>What is sent before the queue: missed events, or a snapshot.</summary>
    public IReadOnlyList<FeedEvent> Prelude { get; set; } = [];

    /// <summary>Why the feed dropped this client (<c>slow-consumer</c>, <c>idle</c>, <c>source-lost</c>), or null.</summary>
    public string? DropReason { get; private set; }

    public string? DropDetail { get; private set; }

    public bool Drop(string reason, string detail)
    {
        if (Interlocked.Exchange(ref _dropping, 1) != 0)
            return false;
        DropDetail = detail;
        DropReason = reason;
        _dropped.Cancel();
        return true;
    }
}

/// <summary>More live feeds than <see cref="FeedOptions.MaxConnections"/>.</summary>
public sealed class FeedFullException(int max) : Exception($"at most {max} live feeds at once");

/// <summary>A snapshot of one service: its deployment and its current or latest rollout.</summary>
public sealed record RolloutSnapshot(DeploymentView Deployment, RolloutView? Rollout);

/// <summary>The events of one stored change of a run.</summary>
public sealed record WorkflowEvents(string RunId, WorkflowEvent[] Events);

/// <summary>A service's versions over the last window, pushed each second.</summary>
public sealed record MetricsAggregate(string Service, double WindowSeconds, VersionAggregate[] Versions);

public sealed record VersionAggregate(string Version, string Role, long Count, long Errors, double ErrorRate, double AvgMs, double P50Ms, double P95Ms, double P99Ms)
{
    public static VersionAggregate Of(string version, string role, MetricsSnapshot s) =>
        new(version, role, s.Count, s.Errors, s.ErrorRate, s.AvgMs, s.P50Ms, s.P95Ms, s.P99Ms);
}

/// <summary>Live feed connections and dropped clients, on meter "Aviary": <c>aviary_feed_connections</c>, <c>aviary_feed_dropped</c>.</summary>
public static class FeedMeters
{
    public static readonly string[] DropReasons = ["slow-consumer", "idle", "source-lost", "shutdown"];

    private static readonly Meter Meter = new(AviaryMeters.MeterName);
    private static int _sse;
    private static int _ws;

    private static readonly Counter<long> DroppedClients =
        Meter.CreateCounter<long>("feed.dropped", description: "Live feed clients disconnected by the silo, by reason");

    static FeedMeters()
    {
        Meter.CreateObservableGauge("feed.connections", () => new[]
        {
            new Measurement<int>(Volatile.Read(ref _sse), new KeyValuePair<string, object?>("transport", "sse")),
            new Measurement<int>(Volatile.Read(ref _ws), new KeyValuePair<string, object?>("transport", "websocket")),
        }, description: "Live feed clients connected to this silo, by transport");
    }

    public static int Connections => Volatile.Read(ref _sse) + Volatile.Read(ref _ws);

    public static void Opened(string transport) => Interlocked.Increment(ref transport == "sse" ? ref _sse : ref _ws);

    public static void Closed(string transport) => Interlocked.Decrement(ref transport == "sse" ? ref _sse : ref _ws);

    public static void Dropped(string reason) => DroppedClients.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Zero for every reason, so the series exist before the first drop.</summary>
    public static void TouchCounters()
    {
        foreach (var reason in DropReasons)
            DroppedClients.Add(0, new KeyValuePair<string, object?>("reason", reason));
    }
}
