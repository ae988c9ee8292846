namespace Aviary.Rollouts;

/// <summary>What a rollout's checks judge the canary by.</summary>
[GenerateSerializer, Alias("aviary.Analysis")]
public enum Analysis
{
    /// <summary>The canary's own figures against the policy's limits (error rate, p95).</summary>
    Threshold = 0,
    /// <summary>The canary against the stable version over the same window, by statistical tests.</summary>
    Compare = 1,
    /// <summary>Both: unhealthy if either says so, inconclusive if either lacks data.</summary>
    Both = 2,
}
