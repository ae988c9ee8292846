namespace Aviary.Rollouts;

[GenerateSerializer, Alias("aviary.VerdictResult")]
public enum VerdictResult
{
    Healthy = 0,
    Unhealthy = 1,
    Inconclusive = 2,
}
