using Aviary.Metrics;
using Aviary.Rollouts;

namespace Aviary.Bench;

/// <summary>What one of each piece costs in settled heap: where a rollout's memory goes.</summary>
public static class MemoryBreakdown
{
    private const int Count = 1_000;

    public static async Task<List<(string What, double Bytes)>> RunAsync(IGrainFactory grains)
    {
        var results = new List<(string, double)>();
        var batch = SampleBatch.From(Enumerable.Range(0, 20).Select(i => new Sample(true, 20 + i)).ToArray());

        var before = Measure.SettledHeapBytes();
        await ForEach(i => grains.GetGrain<INoopGrain>(1_000_000 + i).PingAsync());
        var after = Measure.SettledHeapBytes();
        results.Add(("no-op grain activation", (after - before) / (double)Count));

        before = after;
        for (var pass = 0; pass < 3; pass++)
        {
            await ForEach(i => grains.GetGrain<IServiceMetricsGrain>($"mem-w{i}").RecordAsync("v1", batch));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        after = Measure.SettledHeapBytes();
        results.Add(("service metrics grain, one version at 20 samples/s", (after - before) / (double)Count));

        before = after;
        var policy = new RolloutPolicy { BakeTime = TimeSpan.FromDays(1), CheckInterval = TimeSpan.FromSeconds(1), MinSamples = 1, InconclusiveLimit = 1_000 };
        await ForEach(i => grains.GetGrain<IRolloutGrain>($"mem-r{i}/1").StartAsync(new RolloutSpec
        {
            RolloutId = $"mem-r{i}/1",
            Service = $"mem-r{i}",
            Version = "v2",
            StableVersion = "v1",
            Policy = policy,
        }));
        await Task.Delay(TimeSpan.FromSeconds(5));
        after = Measure.SettledHeapBytes();
        results.Add(("rollout with its service metrics grain (idle), 1 s checks, events on the shared partitioned stream", (after - before) / (double)Count));
        return results;
    }

    private static Task ForEach(Func<int, Task> call) =>
        Parallel.ForEachAsync(Enumerable.Range(0, Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) => await call(i));
}
