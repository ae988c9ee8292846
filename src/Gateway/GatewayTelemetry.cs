using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Aviary.Gateway;

/// <summary>
/// What the gateway's process records about each proxied request beyond its own
/// <c>aviary_gateway_*</c> series, which already count and time every request by service and
/// version. Two framework defaults cost more CPU a request than all of Aviary's routing together
/// (docs/benchmarks.md, "Gateway"), for figures nobody reads, so they are off:
/// <list type="bullet">
/// <item>ASP.NET Core starts an <see cref="System.Diagnostics.Activity"/> for every request
/// whenever its per-request diagnostics logger is enabled at any level (for a log scope), and
/// HttpClient then writes a <c>traceparent</c> into every forwarded request. That logger is off;
/// a tracer that listens (OpenTelemetry) still gets an activity per request, and a
/// <c>traceparent</c> sent by the client is forwarded as it came.</item>
/// <item>The per-request meters of ASP.NET Core (hosting, Kestrel, routing, memory pool) and HttpClient are
/// not exported to Prometheus: the adapter turns each measurement into a labelled series lookup.</item>
/// <item>Of the event sources, Prometheus' adapter listens only to the runtime's counters. By
/// default it enables every event source at Informational level, and the hosting, Kestrel,
/// HttpClient and socket sources then write start and stop events for every request and
/// connection into its listener.</item>
/// </list>
/// </summary>
public static class GatewayTelemetry
{
    /// <summary>ASP.NET Core's per-request logger (request starting / finished).</summary>
    public const string RequestLogCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    private static readonly HashSet<string> PerRequestMeters = new(StringComparer.Ordinal)
    {
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.MemoryPool",
        "System.Net.Http",
    };

    /// <summary>
    /// Turns ASP.NET Core's per-request logger off in a gateway's logging: for every provider, and
    /// for Serilog's by name, as Serilog adds a rule of its own that would otherwise win.
    /// </summary>
    public static ILoggingBuilder WithoutRequestLogs(this ILoggingBuilder logging) =>
        logging.AddFilter(RequestLogCategory, LogLevel.None)
            .AddFilter<Serilog.Extensions.Logging.SerilogLoggerProvider>(RequestLogCategory, LogLevel.None);

    /// <summary>
    /// Whether Prometheus' meter adapter exports <paramref name="instrument"/>: all but the
    /// per-request framework meters and the runtime's private ones (<c>Private.InternalDiagnostics.*</c>).
    /// </summary>
    public static bool IsExported(Instrument instrument) =>
        !PerRequestMeters.Contains(instrument.Meter.Name) && !instrument.Meter.Name.StartsWith("Private.", StringComparison.Ordinal);

    /// <summary>Whether Prometheus' event counter adapter listens to the event source <paramref name="name"/>: the runtime's only.</summary>
    public static bool IsExported(string eventSource) => eventSource == "System.Runtime";
}
