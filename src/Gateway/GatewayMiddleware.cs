using System.Diagnostics;
using Aviary.Gateway.Routing;
using Aviary.Routes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;

namespace Aviary.Gateway;

/// <summary>
/// The proxy pipeline's Aviary step: YARP has matched the request to a service's route; this
/// picks the version from the local route table (<see cref="TrafficRouter"/>), points YARP at that
/// version's cluster, and measures the outcome of the forwarded request.
/// </summary>
public sealed class GatewayMiddleware(
    RouteTable table,
    IProxyStateLookup proxy,
    OutcomeRecorder outcomes,
    ErrorStatuses errors,
    ShadowMirror mirror,
    AviaryGatewayOptions options)
{
    public const string VersionHeader = "x-aviary-version";

    /// <summary>
    /// A request's id. When a request is mirrored and came without one, the gateway gives it one,
    /// so the primary and its shadow copy carry the same id (a model server records its prediction
    /// under it, and the two answers are compared by it).
    /// </summary>
    public const string RequestIdHeader = "x-request-id";

    /// <summary>The sticky cookie's attributes: a month, the whole host, not for scripts.</summary>
    private const string StickyCookieAttributes = "; max-age=2592000; path=/; samesite=lax; httponly";

    /// <summary>The cookie's name is checked at start (a token); its value is 32 hex digits.</summary>
    private readonly string _stickyCookiePrefix = options.StickyCookie + "=";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var feature = context.GetReverseProxyFeature();
        var service = feature.Route.Config.Metadata![ProxyConfigBuilder.ServiceMetadata];
        if (table.Find(service) is not { } route)
        {
            await GatewayProblems.UnknownServiceAsync(context);
            return;
        }
        var key = StickyKey(context, route.Routing, out var issued);
        var choice = TrafficRouter.Choose(route, StickyBucket.Of(service, key), new HttpRequestFacts(context.Request));
        var target = choice.Target;
        Yarp.ReverseProxy.Model.ClusterState? cluster = null;
        var found = target is not null && proxy.TryGetCluster(ProxyConfigBuilder.ClusterIdOf(service, target.Version), out cluster);
        if (!found && target is not null && route.Stable is { } stable && stable.Version != target.Version)
        {
            // A version that has just appeared in the table may not have its YARP cluster yet (YARP
            // applies a new configuration asynchronously): its first requests go where they went an
            // instant before, to the stable version, rather than failing.
            found = proxy.TryGetCluster(ProxyConfigBuilder.ClusterIdOf(service, stable.Version), out cluster);
            target = stable;
        }
        if (!found || target is null || cluster is null)
        {
            GatewayMeters.Requests.WithLabels(service, choice.Target?.Version ?? "", "unrouted").Inc();
            await GatewayProblems.NoVersionAsync(context, service);
            return;
        }
        if (!ReferenceEquals(feature.Cluster, cluster.Model))
            context.ReassignProxyRequest(cluster);
        if (issued)
            context.Response.Headers.Append(HeaderNames.SetCookie, string.Concat(_stickyCookiePrefix, key, StickyCookieAttributes));
        context.Response.Headers[VersionHeader] = target.Version;
        ShadowMirror.Copy? copy = null;
        if (choice.Mirror is { } shadow)
        {
            if (!context.Request.Headers.ContainsKey(RequestIdHeader))
                context.Request.Headers[RequestIdHeader] = Guid.NewGuid().ToString("N");
            copy = await mirror.StartAsync(context, service, shadow, route.Routing.PathPrefix);
        }

        try
        {
            await next(context);
        }
        finally
        {
            var latencyMs = Measure(context, service, target.Version, cluster.ClusterId, started);
            copy?.PrimaryDone(context, context.GetForwarderErrorFeature() is null ? context.Response.StatusCode : 0, latencyMs);
        }
    }

    private double Measure(HttpContext context, string service, string version, string clusterId, long started)
    {
        var latencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var failure = context.GetForwarderErrorFeature()?.Error ?? ForwarderError.None;
        if (context.RequestAborted.IsCancellationRequested && failure is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled)
        {
            // The client went away: that says nothing about the version.
            GatewayMeters.Requests.WithLabels(service, version, "canceled").Inc();
            return latencyMs;
        }
        var ok = failure == ForwarderError.None && !errors.IsError(context.Response.StatusCode);
        outcomes.Measure(service, version, clusterId, ok, latencyMs);
        return latencyMs;
    }

    /// <summary>The service's sticky header or cookie, else the gateway's own cookie, else a new key the response will set.</summary>
    private string StickyKey(HttpContext context, ServiceRouting routing, out bool issued)
    {
        issued = false;
        if (routing.StickyHeader.Length > 0)
        {
            var value = context.Request.Headers[routing.StickyHeader].ToString();
            if (value.Length > 0)
                return value;
        }
        else if (routing.StickyCookie.Length > 0 && context.Request.Cookies[routing.StickyCookie] is { Length: > 0 } named)
        {
            return named;
        }
        if (context.Request.Cookies[options.StickyCookie] is { Length: > 0 } own)
            return own;
        issued = true;
        return Guid.NewGuid().ToString("N");
    }
}
