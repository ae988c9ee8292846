using System.Diagnostics.Metrics;

namespace Aviary.Gateway;

/// <summary>
/// The gateway's instruments, exported on <c>/metrics</c> as <c>aviary_gateway_*</c>: requests by
/// service, version and outcome, their latency, the route table's age and the outcomes that could
/// not be kept. The two the request path feeds are prometheus-net's own, their series looked up
/// once per version and kept (<see cref="OutcomeRecorder.VersionOutcomes"/>), so a request only
/// increments; the rest are System.Diagnostics.Metrics instruments of meter <c>Aviary.Gateway</c>.
/// </summary>
public static class GatewayMeters
{
    public const string MeterName = "Aviary.Gateway";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Proxied requests; <c>outcome</c> is ok, error or canceled (the client went away), or unrouted (no version could take it).</summary>
    public static readonly Prometheus.Counter Requests = Prometheus.Metrics.CreateCounter(
        "aviary_gateway_requests", "Requests through the gateway by service, version and outcome",
        new Prometheus.CounterConfiguration { LabelNames = ["service", "version", "outcome"] });

    /// <summary>Time from the request reaching the gateway to the end of the upstream's response, ms.</summary>
    public static readonly Prometheus.Histogram Duration = Prometheus.Metrics.CreateHistogram(
        "aviary_gateway_request_duration", "Time from the request reaching the gateway to the end of the upstream's response, ms",
        new Prometheus.HistogramConfiguration { LabelNames = ["service", "version"], Buckets = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000] });

    /// <summary>Outcomes not kept because the buffer was full while the cluster could not take them.</summary>
    public static readonly Counter<long> DroppedOutcomes = Meter.CreateCounter<long>("outcomes.dropped", description: "Measured outcomes dropped because the pending buffer was full");

    public static readonly Counter<long> FlushedOutcomes = Meter.CreateCounter<long>("outcomes.flushed", description: "Measured outcomes delivered to the metrics grains");

    /// <summary>Shadow copies by outcome: match, mismatch (status class or body differ, or no answer), or skipped (too many in flight).</summary>
    public static readonly Counter<long> Mirrors = Meter.CreateCounter<long>("mirrors", description: "Requests copied to a shadow version, by comparison outcome");

    private static Func<double>? _routeTableAge;
    private static Func<long>? _pendingOutcomes;

    static GatewayMeters()
    {
        Meter.CreateObservableGauge("route_table.age", () => _routeTableAge?.Invoke() ?? double.NaN, "s",
            "Seconds since the gateway last read every route from the cluster");
        Meter.CreateObservableGauge("outcomes.pending", () => _pendingOutcomes?.Invoke() ?? 0,
            description: "Measured outcomes waiting to be sent to the metrics grains");
    }

    /// <summary>Where the gauges read from: the gateway that runs in this process.</summary>
    public static void Observe(RouteTable table, OutcomeRecorder outcomes)
    {
        _routeTableAge = () => table.Age?.TotalSeconds ?? double.NaN;
        _pendingOutcomes = () => outcomes.Pending;
    }
}
