namespace Aviary.Grains.Agents;

/// <summary>When an agent kind's breaker opens, and how it recovers (section <c>Aviary:AgentPool:Breaker</c>).</summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>Opens after this many failures in a row. Default 5, at least 1.</summary>
    public int ConsecutiveFailures { get; set; } = 5;

    /// <summary>Opens when this fraction of the last <see cref="WindowSize"/> attempts failed. Default 0.5, above 0 and at most 1.</summary>
    public double FailureRateThreshold { get; set; } = 0.5;

    /// <summary>Attempts remembered for the failure rate. Default 20, at least 1.</summary>
    public int WindowSize { get; set; } = 20;

    /// <summary>The rate is judged only once this many attempts are in the window. Default 10, between 1 and <see cref="WindowSize"/>.</summary>
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>How long it stays open before one probe is let through (half-open). Default 30 s, at least 1 second.</summary>
    public TimeSpan RecoveryTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
