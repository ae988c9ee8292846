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

    private static AttemptKey Attempt(int n) => new("run", $"t{n}", 1);

    private BreakerState? Record(CircuitBreaker breaker, int attempt, bool succeeded, string? errorKind = "Boom") =>
        breaker.Record(Attempt(attempt), succeeded, succeeded ? null : errorKind, _time.GetUtcNow());

    [Fact]
    public void ConsecutiveFailures_OpenIt_ThenNothingRunsUntilRecoveryTimeout()
    {
        var breaker = Breaker();
        Assert.Null(Record(breaker, 1, false));
        Assert.Null(Record(breaker, 2, false));

        Assert.Equal(BreakerState.Open, Record(breaker, 3, false));
        Assert.False(breaker.TryAcquire(Attempt(4), _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(breaker.TryAcquire(Attempt(4), _time.GetUtcNow()));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(1), breaker.RetryAt);
    }

    [Fact]
    public void HalfOpen_OnlyTheProbesOutcomeCounts()
    {
        var breaker = Breaker();
        for (var i = 0; i < 3; i++)
            Record(breaker, i, false);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(breaker.TryAcquire(Attempt(10), _time.GetUtcNow()));
        Assert.Equal(BreakerState.HalfOpen, breaker.State);

        // A late success of an attempt that started before the breaker opened proves nothing.
        Assert.Null(Record(breaker, 3, true));
        Assert.Equal(BreakerState.HalfOpen, breaker.State);
        Assert.False(breaker.TryAcquire(Attempt(11), _time.GetUtcNow())); // the probe is still out

        Assert.Equal(BreakerState.Closed, Record(breaker, 10, true));
    }

    [Fact]
    public void FailureRateOverWindow_OpensIt_OnceThroughputIsReached()
    {
        var breaker = Breaker();
        var outcomes = new[] { true, false, true, false, true, false };
        BreakerState? last = null;
        for (var i = 0; i < outcomes.Length; i++)
            last = Record(breaker, i, outcomes[i]) ?? last;

        Assert.Equal(BreakerState.Open, last); // 3 of 6 failed: 50 %
    }

    [Fact]
    public void HalfOpen_LetsOneProbeThrough_SuccessCloses_FailureReopens()
    {
        var breaker = Breaker();
        for (var i = 0; i < 3; i++)
            Record(breaker, i, false);
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.True(breaker.TryAcquire(Attempt(10), _time.GetUtcNow()));
        Assert.Equal(BreakerState.HalfOpen, breaker.State);
        Assert.False(breaker.TryAcquire(Attempt(11), _time.GetUtcNow())); // only one probe
        Assert.Equal(BreakerState.Open, Record(breaker, 10, false));

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(breaker.TryAcquire(Attempt(12), _time.GetUtcNow()));
        Assert.Equal(BreakerState.Closed, Record(breaker, 12, true));
        Assert.True(breaker.TryAcquire(Attempt(13), _time.GetUtcNow()));
        Assert.True(breaker.TryAcquire(Attempt(14), _time.GetUtcNow()));
    }

    [Fact]
    public void HalfOpen_TheProbeIsTheAttemptItLetThrough()
    {
        var breaker = Breaker();
        for (var i = 0; i < 3; i++)
            Record(breaker, i, false);
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.True(breaker.TryAcquire(Attempt(10), _time.GetUtcNow()));

        Assert.Equal(Attempt(10), breaker.Probe);
        Assert.Null(Record(breaker, 1, false)); // not the probe: a late failure changes nothing
        Assert.Equal((BreakerState.HalfOpen, Attempt(10)), (breaker.State, breaker.Probe));
        Assert.Equal(BreakerState.Open, Record(breaker, 10, false, ErrorKinds.Timeout));
        Assert.Null(breaker.Probe);
    }

    [Theory]
    [InlineData(ErrorKinds.InvalidInput)]
    [InlineData(ErrorKinds.ValidationFailed)]
    [InlineData(nameof(OverflowException))]
    public void FailuresCausedByTheInput_NeverOpenIt(string errorKind)
    {
        var breaker = Breaker();

        for (var i = 0; i < 50; i++)
            Assert.Null(Record(breaker, i, false, errorKind));

        Assert.Equal(BreakerState.Closed, breaker.State);
        // Nor do they count towards the next transient failures: three more in a row are needed.
        Assert.Null(Record(breaker, 50, false));
        Assert.Null(Record(breaker, 51, false));
        Assert.Equal(BreakerState.Open, Record(breaker, 52, false));
    }

    [Fact]
    public void HalfOpen_AProbeFailingOnItsInput_LetsTheNextAttemptProbe()
    {
        var breaker = Breaker();
        for (var i = 0; i < 3; i++)
            Record(breaker, i, false);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(breaker.TryAcquire(Attempt(10), _time.GetUtcNow()));

        Assert.Null(Record(breaker, 10, false, ErrorKinds.InvalidInput));

        Assert.Equal((BreakerState.HalfOpen, (AttemptKey?)null), (breaker.State, breaker.Probe));
        Assert.True(breaker.TryAcquire(Attempt(11), _time.GetUtcNow()));
        Assert.Equal(BreakerState.Closed, Record(breaker, 11, true));
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
