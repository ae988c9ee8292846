using Aviary.Metrics;
using Aviary.Rollouts;
using Microsoft.Extensions.Time.Testing;

namespace Aviary.Tests.Cluster;

/// <summary>Feeds windows and moves the fake clock one check interval at a time.</summary>
public sealed class RolloutDriver(IClusterClient client, FakeTimeProvider time, string service, RolloutPolicy policy)
{
    public static readonly RolloutPolicy FastPolicy = new()
    {
        BakeTime = TimeSpan.FromSeconds(20),
        CheckInterval = TimeSpan.FromSeconds(10),
        MinSamples = 20,
    };

    public static string UniqueService(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];

    /// <summary>Records <paramref name="count"/> outcomes at the current (fake) time.</summary>
    public Task FeedAsync(string version, int count, double errorRate, double latencyMs)
    {
        var errors = (int)Math.Round(count * errorRate);
        var samples = Enumerable.Range(0, count).Select(i => new Sample(i >= errors, latencyMs)).ToArray();
        return client.GetGrain<IServiceMetricsGrain>(service).RecordAsync(version, SampleBatch.From(samples));
    }

    /// <summary>Moves the clock to the next check and waits for its verdict.</summary>
    public async Task<Verdict> CheckAsync(EventProbe probe, int checkNumber)
    {
        time.Advance(policy.CheckInterval);
        var e = await probe.WaitForAsync(RolloutEventKind.CheckCompleted, checkNumber, $"check #{checkNumber} of {service}");
        return e.Verdict!;
    }

    /// <summary>Moves the clock to the next check and waits for the verdict made at that time (for a
    /// probe that may have missed earlier checks, so cannot count them).</summary>
    public async Task<Verdict> CheckAtNextIntervalAsync(EventProbe probe)
    {
        time.Advance(policy.CheckInterval);
        var at = time.GetUtcNow();
        var e = await probe.WaitForAsync(e => e.Kind == RolloutEventKind.CheckCompleted && e.At == at, 1, $"the check of {service} at {at:HH:mm:ss}");
        return e.Verdict!;
    }
}
