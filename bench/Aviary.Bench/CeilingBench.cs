using System.Diagnostics;

namespace Aviary.Bench;

/// <summary>No-op grain calls per second, in process, at a given number of calls in flight.</summary>
public static class CeilingBench
{
    public static async Task<double> RunAsync(IGrainFactory grains, int inFlight, TimeSpan duration)
    {
        var targets = Enumerable.Range(0, 1024).Select(i => grains.GetGrain<INoopGrain>(i)).ToArray();
        await Task.WhenAll(targets.Select(t => t.PingAsync())); // activate
        long calls = 0;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, inFlight).Select(async w =>
        {
            long mine = 0;
            var i = w;
            while (stopwatch.Elapsed < duration)
            {
                await targets[i++ % targets.Length].PingAsync();
                mine++;
            }
            Interlocked.Add(ref calls, mine);
        }).ToArray();
        await Task.WhenAll(workers);
        return calls / stopwatch.Elapsed.TotalSeconds;
    }
}
