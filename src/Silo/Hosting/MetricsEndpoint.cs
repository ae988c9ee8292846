using Aviary.Grains;
using Aviary.Silo.Security;
using Prometheus;

namespace Aviary.Silo.Hosting;

/// <summary>
/// <c>/metrics</c> in Prometheus' text format (prometheus-net): every System.Diagnostics.Metrics
/// meter in the process, so Aviary's own (meter "Aviary": rollouts, verdicts, transitions, check
/// lateness, weights, workflow tasks, agent pools) and Orleans' (meters "Microsoft.Orleans*"),
/// plus the .NET process figures; not ASP.NET Core's and HttpClient's per-request meters
/// (<see cref="Aviary.Gateway.GatewayTelemetry"/>).
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>Check lateness buckets (ms): fine where the 250 ms target is, coarse beyond.</summary>
    private static readonly double[] LatenessBuckets = [1, 2, 5, 10, 20, 50, 100, 150, 200, 250, 300, 400, 500, 750, 1_000, 2_000, 5_000, 10_000];

    public static IEndpointRouteBuilder MapAviaryMetrics(this IEndpointRouteBuilder app)
    {
        AviaryGauges.Register();
        Prometheus.Metrics.ConfigureMeterAdapter(o =>
        {
            // A series not updated for this long is dropped: a finished rollout's weight goes away
            // within a minute. Counters are kept alive by the zero increments below.
            o.MetricsExpireAfter = TimeSpan.FromMinutes(1);
            // Not the per-request framework meters: the gateway measures its requests itself.
            o.InstrumentFilterPredicate = Aviary.Gateway.GatewayTelemetry.IsExported;
            var fallback = o.ResolveHistogramBuckets;
            o.ResolveHistogramBuckets = instrument =>
                instrument.Meter.Name == AviaryMeters.MeterName && instrument.Name == AviaryMeters.CheckLateness.Name ? LatenessBuckets : fallback(instrument);
        });
        Prometheus.Metrics.ConfigureEventCounterAdapter(o => o.EventSourceFilterPredicate = Aviary.Gateway.GatewayTelemetry.IsExported);
        // prometheus-net starts listening to meters just before its first collection: collect once
        // now rather than at the first scrape, so nothing counted before that scrape is lost.
        Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null).GetAwaiter().GetResult();
        // The adapter creates a counter's series at its first increment, so rare events (a rollback)
        // would start at 1 and rate() would never see them: every scrape adds 0 to each known series.
        Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(AviaryMeters.TouchCounters);
        Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(Feeds.FeedMeters.TouchCounters);
        // Behind authentication like the API: Prometheus scrapes with a viewer key (docs/security.md).
        app.MapMetrics(Path).RequireRole(Aviary.Security.AviaryRole.Viewer);
        return app;
    }
}
