namespace Aviary.Models;

/// <summary>One feature's live inputs against its training reference: PSI and its band, and the test for its kind (KS or chi-square).</summary>
[GenerateSerializer, Immutable, Alias("aviary.FeatureDrift")]
public sealed record FeatureDrift
{
    [Id(0)] public string Feature { get; init; } = "";

    [Id(1)] public double Psi { get; init; }

    /// <summary><c>stable</c> (&lt; 0.1), <c>moderate</c> (0.1–0.25) or <c>significant</c> (≥ 0.25).</summary>
    [Id(2)] public string Band { get; init; } = "";

    /// <summary><c>ks</c> or <c>chi-square</c>.</summary>
    [Id(3)] public string Test { get; init; } = "";

    [Id(4)] public double Statistic { get; init; }

    [Id(5)] public double PValue { get; init; } = 1;

    [Id(6)] public bool Drifted { get; init; }

    [Id(7)] public long Live { get; init; }
}
