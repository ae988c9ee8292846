namespace Aviary.Models;

/// <summary>The true value for one earlier prediction: a number (regression), or 1/0 for a binary label.</summary>
[GenerateSerializer, Immutable, Alias("aviary.Feedback")]
public sealed record Feedback
{
    [Id(0)] public string RequestId { get; init; } = "";

    [Id(1)] public double Value { get; init; }
}
