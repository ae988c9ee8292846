using Aviary.Metrics;
using Aviary.Rollouts;
using MathNet.Numerics.Distributions;

namespace Aviary.Grains.Rollouts;

/// <summary>
/// Judges a canary against its stable version over the same window, as Kayenta's NetflixACAJudge
/// does: a metric fails only when the canary is worse with the policy's confidence (one-sided
/// test) and by more than its tolerance; a metric either side has too few samples of is no data,
/// never a pass. Pure: two snapshots and a policy in, a comparison out.
/// </summary>
public static class CanaryJudge
{
    public static Comparison Compare(MetricsSnapshot canary, MetricsSnapshot stable, RolloutPolicy policy)
    {
        if (canary.Count < policy.MinSamples || stable.Count < policy.MinSamples)
        {
            return new Comparison
            {
                ErrorRate = new MetricComparison { Result = Judgement.NoData, Canary = canary.ErrorRate, Stable = stable.ErrorRate },
                Latency = new MetricComparison { Result = Judgement.NoData, Canary = canary.P50Ms, Stable = stable.P50Ms },
            };
        }
        var alpha = 1 - policy.Confidence;
        var errorP = ErrorRateIncrease(canary.Errors, canary.Count, stable.Errors, stable.Count);
        var latencyP = LatencyIncrease(canary, stable);
        return new Comparison
        {
            ErrorRate = new MetricComparison
            {
                PValue = errorP,
                Canary = canary.ErrorRate,
                Stable = stable.ErrorRate,
                Result = errorP < alpha && canary.ErrorRate > stable.ErrorRate * (1 + policy.Tolerance) ? Judgement.Fail : Judgement.Pass,
            },
            Latency = new MetricComparison
            {
                PValue = latencyP,
                Canary = canary.P50Ms,
                Stable = stable.P50Ms,
                Result = latencyP < alpha && canary.P50Ms > stable.P50Ms * (1 + policy.Tolerance) ? Judgement.Fail : Judgement.Pass,
            },
        };
    }

    /// <summary>One-sided p-value of "the canary's error rate is higher" by the pooled two-proportion z-test.</summary>
    public static double ErrorRateIncrease(long canaryErrors, long canaryCount, long stableErrors, long stableCount)
    {
        if (canaryCount == 0 || stableCount == 0)
            return 1;
        var p1 = (double)canaryErrors / canaryCount;
        var p2 = (double)stableErrors / stableCount;
        var pooled = (double)(canaryErrors + stableErrors) / (canaryCount + stableCount);
        var se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / canaryCount + 1.0 / stableCount));
        if (se == 0)
            return 1; // both all-ok or both all-failed: no evidence of a difference
        return 1 - Normal.CDF(0, 1, (p1 - p2) / se);
    }

    /// <summary>
    /// One-sided p-value of "the canary's latencies are higher" by the Mann–Whitney U test on the
    /// two latency histograms (values in one bucket count as ties), normal approximation with tie
    /// and continuity corrections.
    /// </summary>
    public static double LatencyIncrease(MetricsSnapshot canary, MetricsSnapshot stable)
    {
        double n1 = canary.Buckets.Sum(c => (long)c), n2 = stable.Buckets.Sum(c => (long)c);
        if (n1 == 0 || n2 == 0)
            return 1;
        var from = Math.Min(canary.BucketOffset, stable.BucketOffset);
        var to = Math.Max(canary.BucketOffset + canary.Buckets.Length, stable.BucketOffset + stable.Buckets.Length);
        double u = 0, stableBelow = 0, ties = 0;
        for (var b = from; b < to; b++)
        {
            double c = At(canary, b), s = At(stable, b);
            u += c * (stableBelow + s / 2);
            stableBelow += s;
            var t = c + s;
            ties += t * t * t - t;
        }
        var n = n1 + n2;
        var variance = n1 * n2 / 12 * (n + 1 - ties / (n * (n - 1)));
        if (variance <= 0)
            return 1; // every latency in one bucket
        var z = (u - n1 * n2 / 2 - 0.5) / Math.Sqrt(variance);
        return 1 - Normal.CDF(0, 1, z);
    }

    private static double At(MetricsSnapshot snapshot, int bucket)
    {
        var i = bucket - snapshot.BucketOffset;
        return i >= 0 && i < snapshot.Buckets.Length ? snapshot.Buckets[i] : 0;
    }
}
