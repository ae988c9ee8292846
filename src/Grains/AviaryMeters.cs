using System.Diagnostics.Metrics;

namespace Aviary.Grains;

/// <summary>Aviary's own instruments, exported to Prometheus by the silo and read by the benchmarks.</summary>
public static class AviaryMeters
{
    public const string MeterName = "Aviary";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>How late a health check ran after it was due, in milliseconds.</summary>
    public static readonly Histogram<double> CheckLateness =
        Meter.CreateHistogram<double>("aviary.rollout.check.lateness", "ms", "Delay between a health check's due time and its run");

    public static readonly Counter<long> Verdicts =
        Meter.CreateCounter<long>("aviary.rollout.verdicts", description: "Health check verdicts by result");

    public static readonly Counter<long> Transitions =
        Meter.CreateCounter<long>("aviary.rollout.transitions", description: "Persisted rollout transitions by kind");

    public static readonly Counter<long> EventsDropped =
        Meter.CreateCounter<long>("aviary.events.dropped", description: "Live events shed because the stream's queue was full");

    public static readonly Counter<long> SamplesIngested =
        Meter.CreateCounter<long>("aviary.metrics.samples", description: "Request outcomes recorded by metrics windows");
}
