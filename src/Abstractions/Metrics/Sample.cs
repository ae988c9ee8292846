namespace Aviary.Metrics;

/// <summary>One request outcome as a service reports it.</summary>
[GenerateSerializer, Immutable, Alias("aviary.Sample")]
public readonly record struct Sample([property: Id(0)] bool Ok, [property: Id(1)] double LatencyMs);
