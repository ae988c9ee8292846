using System.Diagnostics;
using System.Diagnostics.Metrics;
using Aviary.Grains;
using Aviary.Metrics;
using Aviary.Rollouts;

namespace Aviary.Bench;

/// <summary>
/// N rollouts checking health every interval while synthetic traffic feeds their canary and stable
/// windows one batch each per check interval (so the generator is not what binds the silo). Rollouts are started on their grains directly (the deployment registry
/// is not what is measured). Reports tick lateness, CPU and memory per rollout.
/// </summary>
public static class RolloutBench
{
    public sealed record Result(int Rollouts, TimeSpan Interval, double LatenessP50Ms, double LatenessP99Ms, double LatenessMaxMs,
        long Checks, double ChecksPerSecond, double CpuPercent, double BytesPerRollout, TimeSpan StartTime, long EventsDropped, long ResidentBytes, TimeSpan GcPause, int Gen2Collections);

    /// <summary>Rollouts that keep checking for the whole run: a day's bake, any traffic enough.</summary>
    public static RolloutPolicy Policy(TimeSpan interval) => new()
    {
        Stages = [10, 25, 50, 75, 100],
        BakeTime = TimeSpan.FromDays(1),
        CheckInterval = interval,
        MinSamples = 1,
        InconclusiveLimit = 1_000, // checks before the first traffic arrives must not pause anything
    };

    public static async Task<Result> RunAsync(IGrainFactory grains, int count, TimeSpan interval, TimeSpan duration, string prefix)
    {
        // The bench's own record of lateness is allocated before the baseline: it is not the rollouts' memory.
        var lateness = new List<double>(capacity: (int)Math.Min(int.MaxValue, count * (duration / interval) * 1.2));
        var baseline = Measure.SettledHeapBytes();
        Measure.DumpIfAsked($"before-{count}");
        var policy = Policy(interval);

        // Starts in flight together share commits (group commit), so many at once start faster.
        var startWatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            var service = $"{prefix}{i}";
            await grains.GetGrain<IRolloutGrain>($"{service}/1").StartAsync(new RolloutSpec
            {
                RolloutId = $"{service}/1",
                Service = service,
                Version = "v2",
                StableVersion = "v1",
                Policy = policy,
            });
        });
        var startTime = startWatch.Elapsed;

        var batch = SampleBatch.From(Enumerable.Range(0, 20).Select(i => new Sample(i != 0, 20 + i)).ToArray());
        using var traffic = new CancellationTokenSource();
        var feeding = FeedAsync(grains, prefix, count, batch, interval, traffic.Token);

        await Task.Delay(interval * 2 + TimeSpan.FromSeconds(2)); // every rollout ticked at least once: steady state
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AviaryMeters.MeterName
                && (instrument.Name == AviaryMeters.CheckLateness.Name || instrument.Name == AviaryMeters.EventsDropped.Name))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            lock (lateness)
                lateness.Add(value);
        });
        long dropped = 0;
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Interlocked.Add(ref dropped, value));
        listener.Start();
        var measure = new Measure();
        var (pause, gen2) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2));
        await Task.Delay(duration);
        (pause, gen2) = (GC.GetTotalPauseDuration() - pause, GC.CollectionCount(2) - gen2);
        var cpu = measure.CpuPercentOfOneCore;
        var elapsed = measure.Elapsed;
        listener.Dispose();
        var resident = Environment.WorkingSet;
        var bytes = Measure.SettledHeapBytes() - baseline;
        Measure.DumpIfAsked($"after-{count}");

        await traffic.CancelAsync();
        await feeding;
        List<double> snapshot;
        lock (lateness)
            snapshot = [.. lateness];
        return new Result(count, interval,
            Measure.Percentile(snapshot, 0.50), Measure.Percentile(snapshot, 0.99), snapshot.Count == 0 ? double.NaN : snapshot.Max(),
            snapshot.Count, snapshot.Count / elapsed.TotalSeconds, cpu, (double)bytes / count, startTime, Interlocked.Read(ref dropped), resident, pause, gen2);
    }

    /// <summary>
    /// Every <paramref name="period"/>, a batch to the canary (v2) and stable (v1) window of services
    /// <paramref name="prefix"/>0..count-1, spread over the period in tenths as real traffic would
    /// be, not in one burst that would starve the checks due at that instant.
    /// </summary>
    public static async Task FeedAsync(IGrainFactory grains, string prefix, int count, SampleBatch batch, TimeSpan period, CancellationToken cancellationToken)
    {
        const int Slices = 10;
        using var timer = new PeriodicTimer(period / Slices);
        try
        {
            for (var tick = 0; await timer.WaitForNextTickAsync(cancellationToken); tick++)
            {
                var slice = tick % Slices;
                await Parallel.ForEachAsync(Enumerable.Range(0, (count - slice + Slices - 1) / Slices).Select(k => k * Slices + slice),
                    new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (i, _) =>
                    {
                        var metrics = grains.GetGrain<IServiceMetricsGrain>($"{prefix}{i}");
                        await metrics.RecordAsync("v2", batch);
                        await metrics.RecordAsync("v1", batch);
                    });
            }
        }
        catch (OperationCanceledException)
        {
            // Done.
        }
    }
}
