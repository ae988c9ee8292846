namespace Aviary.Workflows;

[GenerateSerializer, Alias("aviary.BreakerState")]
public enum BreakerState
{
    Closed = 0,
    Open = 1,
    HalfOpen = 2,
}

/// <summary>An agent pool as `aviary agents list` shows it.</summary>
[GenerateSerializer, Immutable, Alias("aviary.AgentPoolView")]
public sealed record AgentPoolView
{
    [Id(0)] public string Agent { get; init; } = "";
    [Id(1)] public int Workers { get; init; }
    [Id(2)] public int Busy { get; init; }
    [Id(3)] public int Queued { get; init; }
    [Id(4)] public BreakerState Breaker { get; init; }
    [Id(5)] public long Succeeded { get; init; }
    [Id(6)] public long Failed { get; init; }
    [Id(7)] public long CacheHits { get; init; }
    /// <summary>What this kind's work has cost since the pool was activated (cache hits cost nothing).</summary>
    [Id(11)] public ResourceUse Use { get; init; }
    [Id(9)] public int MinWorkers { get; init; }
    [Id(10)] public int MaxWorkers { get; init; }
}
