namespace Aviary.Models;

/// <summary>
/// How a shadow version's answers compared with the serving version's on the same requests:
/// how many pairs, how many agreed (same label, or numbers within the tolerance), and how much
/// slower it scored on average (negative: faster).
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.AgreementFigures")]
public sealed record AgreementFigures
{
    [Id(0)] public long Compared { get; init; }

    [Id(1)] public long Agreeing { get; init; }

    [Id(2)] public double ExtraLatencyMs { get; init; }

    public double Rate => Compared == 0 ? 0 : (double)Agreeing / Compared;
}
