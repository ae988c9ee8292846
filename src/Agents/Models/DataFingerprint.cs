namespace Aviary.Agents.Models;

/// <summary>Which data a model was trained on: a hash of its content, its size and its learned schema.</summary>
public sealed record DataFingerprint
{
    public string Sha256 { get; init; } = "";

    public long RowCount { get; init; }

    public DatasetSchema Schema { get; init; } = new();
}
