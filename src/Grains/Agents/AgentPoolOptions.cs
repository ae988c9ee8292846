namespace Aviary.Grains.Agents;

/// <summary>Pool sizing for every agent kind.</summary>
public sealed class AgentPoolOptions
{
    /// <summary>Workers kept even when idle. Default 2.</summary>
    public int MinWorkers { get; set; } = 2;

    /// <summary>Workers at most, however deep the queue. Default 10.</summary>
    public int MaxWorkers { get; set; } = 10;

    /// <summary>Results remembered per kind for the result cache. Default 10,000.</summary>
    public int CacheCapacity { get; set; } = 10_000;

    public CircuitBreakerOptions Breaker { get; set; } = new();
}
