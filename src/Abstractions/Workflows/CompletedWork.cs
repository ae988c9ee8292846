namespace Aviary.Workflows;

/// <summary>One finished attempt inside a pool: what was asked, how it ended, its cache key if it may be cached.</summary>
[GenerateSerializer, Immutable, Alias("aviary.CompletedWork")]
public sealed record CompletedWork(
    [property: Id(0)] WorkItem Item,
    [property: Id(1)] TaskOutcome Outcome,
    [property: Id(2)] string? CacheKey);
