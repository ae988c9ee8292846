namespace Aviary.Models;

/// <summary>
/// What a model server saw for one version since its last batch: how many requests it scored,
/// their inputs counted into the version's reference bins, and its predictions (for joining
/// with labels that arrive later, and with other versions' answers to the same request).
/// Sent to <c>POST /api/models/{model}/observations</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.ModelObservationBatch")]
public sealed record ModelObservationBatch
{
    [Id(0)] public string Version { get; init; } = "";

    [Id(1)] public long Requests { get; init; }

    [Id(2)] public FeatureCounts[] Features { get; init; } = [];

    [Id(3)] public PredictionRecord[] Predictions { get; init; } = [];
}
