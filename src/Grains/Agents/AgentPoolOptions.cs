namespace Aviary.Grains.Agents;

/// <summary>
/// Pool sizing for every agent kind, section <see cref="Section"/>, checked at start by
/// <see cref="AgentPoolOptionsValidator"/>.
/// </summary>
public sealed class AgentPoolOptions
{
    public const string Section = "Aviary:AgentPool";

    /// <summary>Workers kept even when idle. Default 2, at least 1.</summary>
    public int MinWorkers { get; set; } = 2;

    /// <summary>Workers at most, however deep the queue (each runs on a thread of its own). Default 10, at most 256.</summary>
    public int MaxWorkers { get; set; } = 10;

    /// <summary>Results remembered per kind for the result cache (0: none). Default 10,000.</summary>
    public int CacheCapacity { get; set; } = 10_000;

    /// <summary>When a kind's circuit breaker opens, and how it recovers (<c>Aviary:AgentPool:Breaker</c>).</summary>
    public CircuitBreakerOptions Breaker { get; set; } = new();
}
