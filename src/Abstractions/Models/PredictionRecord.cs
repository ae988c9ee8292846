namespace Aviary.Models;

/// <summary>
/// One answer a model version gave: the request's id (the gateway's <c>x-request-id</c>, the
/// same on a shadow copy), the prediction (a number; for a binary classifier the probability of
/// the positive class, with its <see cref="Label"/>), how long scoring took, and whether it
/// answered a shadow copy no client saw.
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.PredictionRecord")]
public sealed record PredictionRecord
{
    [Id(0)] public string RequestId { get; init; } = "";

    [Id(1)] public double Value { get; init; }

    [Id(2)] public string? Label { get; init; }

    [Id(3)] public double LatencyMs { get; init; }

    [Id(4)] public bool Shadow { get; init; }
}
