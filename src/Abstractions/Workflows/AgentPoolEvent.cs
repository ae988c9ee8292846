namespace Aviary.Workflows;

/// <summary>Published on <see cref="Names.AgentEvents"/>, keyed by agent kind: a pool scaled, or its breaker changed.</summary>
[GenerateSerializer, Immutable, Alias("aviary.AgentPoolEvent")]
public sealed record AgentPoolEvent
{
    [Id(0)] public string Agent { get; init; } = "";
    /// <summary>scaled, breaker-open, breaker-half-open, breaker-closed.</summary>
    [Id(1)] public string Kind { get; init; } = "";
    [Id(2)] public int Workers { get; init; }
    [Id(3)] public int Queued { get; init; }
    [Id(4)] public BreakerState Breaker { get; init; }
    [Id(5)] public DateTimeOffset At { get; init; }
}
