using System.Diagnostics.Metrics;

namespace Aviary.Grains;

/// <summary>
/// Aviary's own instruments, exported to Prometheus by the silo (<c>/metrics</c>, where the meter's
/// name becomes the prefix: <c>aviary_rollout_verdicts</c>) and read by the benchmarks.
/// </summary>
public static class AviaryMeters
{
    public const string MeterName = "Aviary";

    internal static readonly Meter Meter = new(MeterName);

    /// <summary>How late a health check ran after it was due, in milliseconds.</summary>
    public static readonly Histogram<double> CheckLateness =
        Meter.CreateHistogram<double>("rollout.check.lateness", "ms", "Delay between a health check's due time and its run");

    public static readonly Counter<long> Verdicts =
        Meter.CreateCounter<long>("rollout.verdicts", description: "Health check verdicts by result");

    public static readonly Counter<long> Transitions =
        Meter.CreateCounter<long>("rollout.transitions", description: "Persisted rollout transitions by kind");

    public static readonly Counter<long> EventsDropped =
        Meter.CreateCounter<long>("events.dropped", description: "Live events shed because the stream's queue was full");

    public static readonly Counter<long> SamplesIngested =
        Meter.CreateCounter<long>("metrics.samples", description: "Request outcomes recorded by metrics windows");

    /// <summary>Adds zero to every counter series Aviary can produce, so exporters show them from the start.</summary>
    public static void TouchCounters()
    {
        foreach (var kind in Enum.GetValues<Aviary.Rollouts.RolloutEventKind>())
        {
            if (kind != Aviary.Rollouts.RolloutEventKind.CheckCompleted)
                Transitions.Add(0, new KeyValuePair<string, object?>("kind", kind.ToString()));
        }
        foreach (var result in Enum.GetValues<Aviary.Rollouts.VerdictResult>())
            Verdicts.Add(0, new KeyValuePair<string, object?>("result", result.ToString()));
        EventsDropped.Add(0);
        SamplesIngested.Add(0);
    }
}
