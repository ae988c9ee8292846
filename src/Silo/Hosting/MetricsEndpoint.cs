using Aviary.Grains;
using Prometheus;

namespace Aviary.Silo.Hosting;

/// <summary>
/// <c>/metrics</c> in Prometheus' text format (prometheus-net): every System.Diagnostics.Metrics
/// meter in the process, so Aviary's own (meter "Aviary": rollouts, verdicts, transitions, check
/// lateness, weights, workflow tasks, agent pools) and Orleans' (meters "Microsoft.Orleans*"),
/// plus the .NET process figures.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IEndpointRouteBuilder MapAviaryMetrics(this IEndpointRouteBuilder app)
    {
        AviaryGauges.Register();
        // prometheus-net starts listening to meters just before its first collection: collect once
        // now rather than at the first scrape, so nothing counted before that scrape is lost.
        Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null).GetAwaiter().GetResult();
        app.MapMetrics(Path);
        return app;
    }
}
