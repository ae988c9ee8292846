namespace Aviary.Models;

/// <summary>What a model was trained on: a hash of the rows, how many, and their columns (name:type).</summary>
[GenerateSerializer, Immutable, Alias("aviary.DataFingerprint")]
public sealed record DataFingerprint
{
    [Id(0)] public string Sha256 { get; init; } = "";

    [Id(1)] public long Rows { get; init; }

    [Id(2)] public string[] Columns { get; init; } = [];
}
