using Aviary.Routes;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Aviary.Gateway;

/// <summary>
/// Turns route snapshots into YARP configuration: a route per service (its hosts and path prefix,
/// the prefix removed before forwarding) and a cluster per version (its destinations, load
/// balancing, passive and optional active health checks). Which cluster a request goes to is
/// decided per request by <see cref="GatewayMiddleware"/>; YARP's configuration changes only when
/// services, their matching or their destinations do.
/// </summary>
public sealed partial class ProxyConfigBuilder(AviaryGatewayOptions options, ILogger<ProxyConfigBuilder> logger)
{
    public const string ServiceMetadata = "aviary.service";

    public static string RouteIdOf(string service) => "svc:" + service;

    public static string ClusterIdOf(string service, string version) => service + "@" + version;

    /// <summary>What YARP must be rebuilt for: matching and destinations, not weights.</summary>
    public static string TopologyOf(RouteSnapshot route) => route.Removed ? "removed" :
        string.Join('\n', route.Routing.Hosts) + "\n#" + route.Routing.PathPrefix + "\n#"
        + string.Join('\n', route.Targets().Select(t => t.Version + "=" + string.Join(' ', t.Destinations)));

    /// <summary>
    /// Routes and clusters for <paramref name="snapshots"/>, plus the clusters of
    /// <paramref name="retiring"/> (the routes they replace): a request that read the route table
    /// just before it changed may still ask for one of those, and must find it.
    /// </summary>
    public (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Build(IEnumerable<RouteSnapshot> snapshots, IEnumerable<RouteSnapshot>? retiring = null)
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        var claimed = new Dictionary<(string Host, string Prefix), string>();
        foreach (var route in snapshots.Where(r => !r.Removed && r.Stable is not null).OrderBy(r => r.Service, StringComparer.Ordinal))
        {
            // Two services claiming the same host and prefix would make every such request
            // ambiguous; the first by name keeps it and the other is not routed.
            var claims = (route.Routing.Hosts.Length == 0 ? [""] : route.Routing.Hosts).Select(h => (h, route.Routing.PathPrefix)).ToArray();
            var clash = claims.Where(claimed.ContainsKey).Select(c => (Claim: c, Owner: claimed[c])).FirstOrDefault();
            if (clash.Owner is not null)
            {
                LogClaimClash(logger, route.Service, clash.Claim.h, clash.Claim.PathPrefix, clash.Owner);
                continue;
            }
            foreach (var claim in claims)
                claimed[claim] = route.Service;

            foreach (var target in route.Targets())
                clusters.Add(Cluster(route.Service, target));
            routes.Add(Route(route));
        }
        var built = clusters.Select(c => c.ClusterId).ToHashSet(StringComparer.Ordinal);
        foreach (var route in retiring ?? [])
        {
            foreach (var target in route.Removed ? [] : route.Targets())
            {
                if (built.Add(ClusterIdOf(route.Service, target.Version)))
                    clusters.Add(Cluster(route.Service, target));
            }
        }
        return (routes, clusters);
    }

    private static RouteConfig Route(RouteSnapshot route)
    {
        var prefix = route.Routing.PathPrefix;
        return new RouteConfig
        {
            RouteId = RouteIdOf(route.Service),
            ClusterId = ClusterIdOf(route.Service, route.Stable!.Version),
            // A route naming hosts wins over one that takes any host.
            Order = route.Routing.Hosts.Length > 0 ? 0 : 1,
            Match = new RouteMatch
            {
                Hosts = route.Routing.Hosts.Length > 0 ? route.Routing.Hosts : null,
                Path = prefix.Length > 0 ? prefix + "/{**rest}" : "/{**rest}",
            },
            Metadata = new Dictionary<string, string> { [ServiceMetadata] = route.Service },
            Transforms = prefix.Length > 0 ? [new Dictionary<string, string> { ["PathRemovePrefix"] = prefix }] : null,
        };
    }

    private ClusterConfig Cluster(string service, VersionTarget target) => new()
    {
        ClusterId = ClusterIdOf(service, target.Version),
        LoadBalancingPolicy = options.LoadBalancingPolicy,
        Destinations = target.Destinations
            .Select((url, i) => (url, i))
            .ToDictionary(d => $"d{d.i}", d => new DestinationConfig { Address = d.url }),
        HealthCheck = new HealthCheckConfig
        {
            // If every destination looks unhealthy, still try them: the failure is then measured
            // as the version's error rather than hidden behind a 503 of the gateway's own.
            AvailableDestinationsPolicy = "HealthyOrPanic",
            Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = "TransportFailureRate", ReactivationPeriod = TimeSpan.FromSeconds(10) },
            Active = options.HealthCheckPath.Length == 0 ? null : new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = options.HealthCheckInterval,
                Timeout = options.HealthCheckInterval,
                Path = options.HealthCheckPath,
                Policy = "ConsecutiveFailures",
            },
        },
        HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { ActivityTimeout = options.UpstreamTimeout },
        Metadata = new Dictionary<string, string> { [ServiceMetadata] = service },
    };

    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning,
        Message = "Service {Service} is not routed: host '{Host}' with path prefix '{PathPrefix}' is already service {Owner}'s")]
    private static partial void LogClaimClash(ILogger logger, string service, string host, string pathPrefix, string owner);
}
