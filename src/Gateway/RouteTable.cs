using System.Collections.Frozen;
using Aviary.Routes;
using Yarp.ReverseProxy.Configuration;

namespace Aviary.Gateway;

/// <summary>
/// The gateway's own copy of every service's route: read on every request without a lock or a
/// grain call, replaced whole when a route changes. Fed by the route stream and by the periodic
/// reconcile; of two copies of a service's route the higher revision wins. YARP's configuration is
/// rebuilt only when matching or destinations change, before the new table is visible, so a
/// request never picks a version whose cluster YARP does not have yet.
/// </summary>
public sealed class RouteTable(ProxyConfigBuilder builder, InMemoryConfigProvider proxyConfig, TimeProvider time)
{
    private readonly Lock _gate = new();
    private volatile FrozenDictionary<string, Entry> _entries = FrozenDictionary<string, Entry>.Empty;
    private long _sequence;
    private long _lastSyncTimestamp = -1;

    private sealed record Entry(RouteSnapshot Route, string Topology, long Sequence);

    /// <summary>The route of <paramref name="service"/>, or null when the gateway knows no such service.</summary>
    public RouteSnapshot? Find(string service) => _entries.TryGetValue(service, out var entry) && !entry.Route.Removed ? entry.Route : null;

    public IReadOnlyCollection<RouteSnapshot> All => _entries.Values.Where(e => !e.Route.Removed).Select(e => e.Route).ToArray();

    /// <summary>Time since the last complete read of the cluster's routes; null before the first.</summary>
    public TimeSpan? Age
    {
        get
        {
            var last = Interlocked.Read(ref _lastSyncTimestamp);
            return last < 0 ? null : time.GetElapsedTime(last);
        }
    }

    /// <summary>A sequence number to hand back to <see cref="Reconcile"/>: read before the reconcile starts listing routes.</summary>
    public long Mark() => Interlocked.Read(ref _sequence);

    /// <summary>Takes one route heard on the stream. True when it changed the table.</summary>
    public bool Apply(RouteSnapshot route)
    {
        lock (_gate)
        {
            var entries = _entries.ToDictionary();
            if (!Merge(entries, route))
                return false;
            Publish(entries);
            return true;
        }
    }

    /// <summary>
    /// Takes every route read from the cluster. A service absent from <paramref name="routes"/> is
    /// dropped unless it was heard of after <paramref name="mark"/> (added while the read ran).
    /// </summary>
    public void Reconcile(IReadOnlyCollection<RouteSnapshot> routes, long mark)
    {
        lock (_gate)
        {
            var entries = _entries.ToDictionary();
            var changed = false;
            foreach (var route in routes)
                changed |= Merge(entries, route);
            var listed = routes.Select(r => r.Service).ToHashSet(StringComparer.Ordinal);
            foreach (var (service, entry) in entries)
            {
                if (!listed.Contains(service) && entry.Sequence <= mark)
                    changed |= entries.Remove(service);
            }
            if (changed)
                Publish(entries);
            Interlocked.Exchange(ref _lastSyncTimestamp, time.GetTimestamp());
        }
    }

    private bool Merge(Dictionary<string, Entry> entries, RouteSnapshot route)
    {
        var exists = entries.TryGetValue(route.Service, out var current);
        if (exists && current!.Route.Revision >= route.Revision)
            return false;
        // A removed service stays as a tombstone with its revision, so an older copy read by a
        // reconcile that was already under way cannot bring it back.
        entries[route.Service] = new Entry(route, ProxyConfigBuilder.TopologyOf(route), ++_sequence);
        return true;
    }

    private void Publish(Dictionary<string, Entry> entries)
    {
        var before = _entries;
        var topologyChanged = before.Count != entries.Count
            || entries.Any(e => !before.TryGetValue(e.Key, out var old) || old.Topology != e.Value.Topology);
        if (topologyChanged)
        {
            // The clusters of the table being replaced stay one more change: a request that read
            // it an instant ago picks its cluster after this update.
            var (routes, clusters) = builder.Build(entries.Values.Select(e => e.Route), before.Values.Select(e => e.Route));
            proxyConfig.Update(routes, clusters);
        }
        _entries = entries.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
