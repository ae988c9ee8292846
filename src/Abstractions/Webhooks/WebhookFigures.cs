namespace Aviary.Webhooks;

/// <summary>The last check's figures: the canary against stable over the same window.</summary>
[GenerateSerializer, Immutable, Alias("aviary.WebhookFigures")]
public sealed record WebhookFigures
{
    [Id(0)] public string Result { get; init; } = "";
    [Id(1)] public double CanaryErrorRate { get; init; }
    [Id(2)] public double CanaryP95Ms { get; init; }
    [Id(3)] public long CanaryCount { get; init; }
    [Id(4)] public double StableErrorRate { get; init; }
    [Id(5)] public double StableP95Ms { get; init; }
    [Id(6)] public long StableCount { get; init; }
}
