using System.Threading.RateLimiting;

namespace Aviary.Silo.Api;

/// <summary>
/// Samples each reporter (the API's caller) may post: a token bucket counted in samples, not
/// requests, so one reporter cannot drown a rollout's windows in a sudden flood.
/// </summary>
public sealed class SampleReporterLimits(ApiLimitsOptions options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(reporter =>
        RateLimitPartition.GetTokenBucketLimiter(reporter, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.SamplesBurst,
            TokensPerPeriod = options.SamplesPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public ApiLimitsOptions Options => options;

    /// <summary>Takes <paramref name="count"/> samples from <paramref name="reporter"/>'s bucket; false when it holds too few.</summary>
    public bool TryTake(string reporter, int count, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.FromSeconds(1);
        if (count > options.SamplesBurst)
            return false;
        using var lease = _limiter.AttemptAcquire(reporter, count);
        if (lease.IsAcquired)
            return true;
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var after))
            retryAfter = after;
        return false;
    }

    public void Dispose() => _limiter.Dispose();
}
