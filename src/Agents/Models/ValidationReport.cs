namespace Aviary.Agents.Models;

/// <summary>
/// What the validator found: whether the data passed, the reasons it did not (schema violations
/// first, then drift when drift fails the check), and everything it measured.
/// </summary>
public sealed record ValidationReport
{
    public bool Passed { get; init; }

    public IReadOnlyList<string> Reasons { get; init; } = [];

    public int Rows { get; init; }

    public int? ReferenceRows { get; init; }

    /// <summary><c>file</c> (input.schema) or <c>reference</c> (learned from input.reference).</summary>
    public string SchemaSource { get; init; } = "";

    public DatasetSchema Schema { get; init; } = new();

    public IReadOnlyList<SchemaViolation> Violations { get; init; } = [];

    public DriftReport? Drift { get; init; }

    public bool FailOnDrift { get; init; }

    public DriftThresholds Thresholds { get; init; } = DriftThresholds.Default;
}
