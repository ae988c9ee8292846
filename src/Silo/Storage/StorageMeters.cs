using System.Diagnostics.Metrics;
using Aviary.Grains;

namespace Aviary.Silo.Storage;

/// <summary>How grain-state commits go, on <c>/metrics</c>: how many, how many writes each carried, how long each took.</summary>
internal static class StorageMeters
{
    private static readonly Meter Meter = new(AviaryMeters.MeterName);

    private static readonly Counter<long> Commits =
        Meter.CreateCounter<long>("storage.commits", description: "Grain-state transactions committed");

    private static readonly Counter<long> Writes =
        Meter.CreateCounter<long>("storage.writes", description: "Grain-state writes committed");

    private static readonly Histogram<double> CommitDuration =
        Meter.CreateHistogram<double>("storage.commit.duration", "ms", "Time from a commit's first statement to its durable end");

    public static void Record(int writes, TimeSpan duration)
    {
        Commits.Add(1);
        Writes.Add(writes);
        CommitDuration.Record(duration.TotalMilliseconds);
    }
}
