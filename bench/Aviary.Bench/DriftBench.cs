using System.Diagnostics;
using Aviary.Agents.Models;
using Aviary.Models;

namespace Aviary.Bench;

/// <summary>
/// What the monitor and the model server pay for drift per 10,000 requests: counting each
/// request's five features into the reference bins, then one DriftCheck.Compare; against a plain
/// loop that only reads the same values.
/// </summary>
public static class DriftBench
{
    private const int Requests = 10_000;

    public sealed record Report(TimeSpan Baseline, List<(string What, TimeSpan Time, long Allocated)> Rows);

    public static Report Run(int rounds)
    {
        var reference = ReferenceProfiles.Build(ShiftingData.Generate(20_000, seed: 1, shift: 0), ["sqft", "age", "rooms", "distance", "region"]);
        var live = ShiftingData.Generate(Requests, seed: 2, shift: 0.5);
        var numbers = Enumerable.Range(0, 4).Select(f => live.Rows.Select(r => double.Parse(r[f]!, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var regions = live.Rows.Select(r => r[4]!).ToArray();
        var counts = reference.Features.Select(f => new long[f.Bins]).ToArray();
        var features = reference.Features.Select((f, i) => new FeatureCounts { Name = f.Name, Counts = counts[i] }).ToArray();

        double Plain()
        {
            var sum = 0.0;
            for (var i = 0; i < Requests; i++)
            {
                for (var f = 0; f < 4; f++)
                    sum += numbers[f][i];
                sum += regions[i].Length;
            }
            return sum;
        }
        double Count()
        {
            for (var i = 0; i < Requests; i++)
            {
                for (var f = 0; f < 4; f++)
                    counts[f][FeatureBinning.Bin(reference.Features[f], numbers[f][i])]++;
                counts[4][FeatureBinning.Bin(reference.Features[4], regions[i])]++;
            }
            return counts[0][0];
        }
        double Compare() => DriftCheck.Compare(reference, features).Drifted ? 1 : 0;
        double Both() => Count() + Compare();

        var baseline = Time(Plain, rounds);
        var (count, compare, both) = (Time(Count, rounds), Time(Compare, rounds), Time(Both, rounds));
        return new Report(baseline.Time,
        [
            ("plain loop over the values (baseline)", baseline.Time, baseline.Allocated),
            ("counting into reference bins", count.Time, count.Allocated),
            ("DriftCheck.Compare (once per 10,000)", compare.Time, compare.Allocated),
            ("both", both.Time, both.Allocated),
        ]);
    }

    /// <summary>The median of <paramref name="rounds"/> timed calls after a warm-up, and the allocations of one call.</summary>
    private static (TimeSpan Time, long Allocated) Time(Func<double> run, int rounds)
    {
        var sink = 0.0;
        for (var i = 0; i < 50; i++)
            sink += run();
        var times = new List<double>(rounds);
        for (var i = 0; i < rounds; i++)
        {
            var start = Stopwatch.GetTimestamp();
            sink += run();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        sink += run();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(sink);
        return (TimeSpan.FromMicroseconds(Aviary.Bench.Measure.Percentile(times, 0.5)), allocated);
    }
}
