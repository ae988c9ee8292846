using Aviary.Grains.Metrics;
using Aviary.Grains.Rollouts;
using Aviary.Metrics;
using Aviary.Rollouts;

namespace Aviary.Tests.Rollouts;

public sealed class CanaryJudgeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly RolloutPolicy Policy = new() { MinSamples = 50, Analysis = Analysis.Compare };

    /// <summary>A window of <paramref name="count"/> samples around <paramref name="medianMs"/> (log-normal spread), <paramref name="errorRate"/> of them errors.</summary>
    public static MetricsSnapshot Window(int count, double medianMs, double errorRate, int seed)
    {
        var random = new Random(seed);
        var window = new SlidingWindow(TimeSpan.FromMinutes(1));
        var errors = (int)Math.Round(count * errorRate);
        for (var i = 0; i < count; i++)
        {
            // Box–Muller: a normal draw for the log of the latency (σ = 0.3).
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            window.Add(new Sample(i >= errors, medianMs * Math.Exp(0.3 * normal)), Now);
        }
        return window.Snapshot(TimeSpan.FromMinutes(1), Now);
    }

    [Fact]
    public void Compare_SameDistribution_BothMetricsPass()
    {
        var comparison = CanaryJudge.Compare(Window(2000, 20, 0.01, 1), Window(2000, 20, 0.01, 2), Policy);

        Assert.Equal(Judgement.Pass, comparison.Result);
        Assert.True(comparison.Latency.PValue > 0.02, $"p = {comparison.Latency.PValue}");
        Assert.True(comparison.ErrorRate.PValue > 0.02, $"p = {comparison.ErrorRate.PValue}");
    }

    [Fact]
    public void Compare_CanaryThreeTimesSlower_LatencyFails()
    {
        var comparison = CanaryJudge.Compare(Window(500, 60, 0.01, 1), Window(2000, 20, 0.01, 2), Policy);

        Assert.Equal(Judgement.Fail, comparison.Latency.Result);
        Assert.True(comparison.Latency.PValue < 0.001);
        Assert.InRange(comparison.Latency.Canary, 54, 66);
        Assert.Equal(Judgement.Fail, comparison.Result);
    }

    [Fact]
    public void Compare_CanaryTenPercentSlower_SignificantButWithinTolerance_Passes()
    {
        var comparison = CanaryJudge.Compare(Window(20_000, 22, 0, 1), Window(20_000, 20, 0, 2), Policy);

        Assert.True(comparison.Latency.PValue < 0.02, "with this much data the difference is significant");
        Assert.Equal(Judgement.Pass, comparison.Latency.Result);
    }

    [Fact]
    public void Compare_CanaryFaster_Passes()
    {
        var comparison = CanaryJudge.Compare(Window(2000, 10, 0, 1), Window(2000, 20, 0, 2), Policy);

        Assert.Equal(Judgement.Pass, comparison.Latency.Result);
        Assert.True(comparison.Latency.PValue > 0.99);
    }

    [Fact]
    public void Compare_FivePercentErrorsAgainstOne_ErrorRateFails()
    {
        var comparison = CanaryJudge.Compare(Window(2000, 20, 0.05, 1), Window(2000, 20, 0.01, 2), Policy);

        Assert.Equal(Judgement.Fail, comparison.ErrorRate.Result);
        Assert.Equal(0.05, comparison.ErrorRate.Canary, 3);
        Assert.Equal(0.01, comparison.ErrorRate.Stable, 3);
        Assert.Equal(Judgement.Pass, comparison.Latency.Result);
    }

    [Fact]
    public void Compare_ErrorsAlittleHigherOnFewRequests_IsNoEvidence()
    {
        var comparison = CanaryJudge.Compare(Window(200, 20, 0.015, 1), Window(2000, 20, 0.01, 2), Policy);

        Assert.Equal(Judgement.Pass, comparison.ErrorRate.Result);
    }

    [Theory]
    [InlineData(49, 2000)]
    [InlineData(2000, 49)]
    [InlineData(0, 0)]
    public void Compare_TooFewSamplesEitherSide_IsNoDataNeverPass(int canary, int stable)
    {
        var comparison = CanaryJudge.Compare(Window(canary, 80, 0.5, 1), Window(stable, 20, 0, 2), Policy);

        Assert.Equal(Judgement.NoData, comparison.ErrorRate.Result);
        Assert.Equal(Judgement.NoData, comparison.Latency.Result);
        Assert.Equal(Judgement.NoData, comparison.Result);
    }

    [Fact]
    public void ErrorRateIncrease_MatchesTheTextbookPooledZTest()
    {
        // 30/200 against 15/200: pooled p = 0.1125, se = 0.031597, z = 2.3735, one-sided p = 0.00881.
        var p = CanaryJudge.ErrorRateIncrease(30, 200, 15, 200);

        Assert.Equal(0.00881, p, 4);
    }

    [Fact]
    public void ErrorRateIncrease_NoErrorsAnywhere_IsNoEvidence()
    {
        Assert.Equal(1, CanaryJudge.ErrorRateIncrease(0, 500, 0, 500));
    }

    [Fact]
    public void LatencyIncrease_CanaryEntirelyAboveStable_MatchesTheExactU()
    {
        // Every canary latency above every stable one: U = n1·n2, z = (n1·n2/2 − 0.5) / σ.
        var canary = new MetricsSnapshot { Count = 30, Buckets = [10, 20], BucketOffset = 50 };
        var stable = new MetricsSnapshot { Count = 40, Buckets = [40], BucketOffset = 10 };
        double n1 = 30, n2 = 40, n = 70;
        var ties = (1000.0 - 10) + (8000.0 - 20) + (64000.0 - 40);
        var sigma = Math.Sqrt(n1 * n2 / 12 * (n + 1 - ties / (n * (n - 1))));
        var expected = 1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, (n1 * n2 / 2 - 0.5) / sigma);

        Assert.Equal(expected, CanaryJudge.LatencyIncrease(canary, stable), 12);
        Assert.True(expected < 1e-6);
    }
}
