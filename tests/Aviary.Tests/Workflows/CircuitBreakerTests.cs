using Aviary.Grains.Agents;
using Aviary.Workflows;
using Microsoft.Extensions.Time.Testing;

namespace Aviary.Tests.Workflows;

public sealed class CircuitBreakerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    private static CircuitBreaker Breaker() => new(new CircuitBreakerOptions
    {
        ConsecutiveFailures = 3,
        FailureRateThreshold = 0.5,
        WindowSize = 10,
        MinimumThroughput = 6,
        RecoveryTimeout = TimeSpan.FromSeconds(30),
    });

    [Fact]
    public void ConsecutiveFailures_OpenIt_ThenNothingRunsUntilRecoveryTimeout()
    {
        var breaker = Breaker();
        Assert.Null(breaker.Record(false, _time.GetUtcNow()));
        Assert.Null(breaker.Record(false, _time.GetUtcNow()));

        Assert.Equal(BreakerState.Open, breaker.Record(false, _time.GetUtcNow()));
        Assert.False(breaker.TryAcquire(_time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(breaker.TryAcquire(_time.GetUtcNow()));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(1), breaker.RetryAt);
    }

    [Fact]
    public void HalfOpen_OnlyTheProbesOutcomeCounts()
    {
        var breaker = Breaker();
        for (var i = 0; i < 3; i++)
            breaker.Record(false, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(breaker.TryAcquire(_time.GetUtcNow()));
        Assert.Equal(BreakerState.HalfOpen, breaker.State);

        // A late success of an attempt that started before the breaker opened proves nothing.
        Assert.Null(breaker.Record(true, _time.GetUtcNow(), probe: false));
        Assert.Equal(BreakerState.HalfOpen, breaker.State);
        Assert.False(breaker.TryAcquire(_time.GetUtcNow())); // the probe is still out

        Assert.Equal(BreakerState.Closed, breaker.Record(true, _time.GetUtcNow(), probe: true));
    }

    [Fact]
    public void FailureRateOverWindow_OpensIt_OnceThroughputIsReached()
    {
        var breaker = Breaker();
        var outcomes = new[] { true, false, true, false, true, false };
        BreakerState? last = null;
        foreach (var ok in outcomes)
            last = breaker.Record(ok, _time.GetUtcNow()) ?? last;

        Assert.Equal(BreakerState.Open, last); // 3 of 6 failed: 50 %
    }

    [Fact]
    public void HalfOpen_LetsOneProbeThrough_SuccessCloses_FailureReopens()
    {
        var breaker = Breaker();
        for (var i = 0; i < 3; i++)
            breaker.Record(false, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.True(breaker.TryAcquire(_time.GetUtcNow()));
        Assert.Equal(BreakerState.HalfOpen, breaker.State);
        Assert.False(breaker.TryAcquire(_time.GetUtcNow())); // only one probe
        Assert.Equal(BreakerState.Open, breaker.Record(false, _time.GetUtcNow()));

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(breaker.TryAcquire(_time.GetUtcNow()));
        Assert.Equal(BreakerState.Closed, breaker.Record(true, _time.GetUtcNow()));
        Assert.True(breaker.TryAcquire(_time.GetUtcNow()));
        Assert.True(breaker.TryAcquire(_time.GetUtcNow()));
    }

    [Fact]
    public void ResultCache_KeyIgnoresInputOrder_AndDropsLeastRecentlyUsed()
    {
        var a = ResultCache.KeyOf("explorer", "1", new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" });
        var b = ResultCache.KeyOf("explorer", "1", new Dictionary<string, string> { ["y"] = "2", ["x"] = "1" });
        var otherVersion = ResultCache.KeyOf("explorer", "2", new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" });
        var otherScope = ResultCache.KeyOf("explorer", "1", new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" }, "run-2");
        Assert.Equal(a, b);
        Assert.NotEqual(a, otherVersion);
        Assert.NotEqual(a, otherScope);

        var cache = new ResultCache(capacity: 2);
        cache.Add("k1", "r1");
        cache.Add("k2", "r2");
        Assert.True(cache.TryGet("k1", out _)); // k1 now most recent
        cache.Add("k3", "r3");

        Assert.False(cache.TryGet("k2", out _));
        Assert.True(cache.TryGet("k1", out var r1));
        Assert.Equal("r1", r1);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void RetryPolicy_DelayAfter_IsExponentialAndCapped()
    {
        var policy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(500), BackoffCoefficient = 3, MaxInterval = TimeSpan.FromSeconds(10) };

        Assert.Equal(
            [TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1500), TimeSpan.FromMilliseconds(4500), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)],
            Enumerable.Range(1, 5).Select(policy.DelayAfter));
    }
}
