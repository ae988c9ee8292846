namespace Aviary.Grains.Agents;

/// <summary>Names the first bad breaker setting, under the section the options were bound from.</summary>
public static class CircuitBreakerOptionsValidator
{
    public static string? FirstFailure(CircuitBreakerOptions o, string section)
    {
        if (o.ConsecutiveFailures < 1)
            return $"{section}:ConsecutiveFailures: must be at least 1 (got {o.ConsecutiveFailures})";
        if (!(o.FailureRateThreshold > 0 && o.FailureRateThreshold <= 1))
            return $"{section}:FailureRateThreshold: must be above 0 and at most 1 (got {o.FailureRateThreshold})";
        if (o.WindowSize < 1)
            return $"{section}:WindowSize: must be at least 1 (got {o.WindowSize})";
        if (o.MinimumThroughput < 1)
            return $"{section}:MinimumThroughput: must be at least 1 (got {o.MinimumThroughput})";
        if (o.MinimumThroughput > o.WindowSize)
            return $"{section}:MinimumThroughput ({o.MinimumThroughput}) must not exceed {section}:WindowSize ({o.WindowSize}): the rate would never be judged";
        if (o.RecoveryTimeout < TimeSpan.FromSeconds(1))
            return $"{section}:RecoveryTimeout: must be at least 1 second (got {o.RecoveryTimeout})";
        return null;
    }
}
