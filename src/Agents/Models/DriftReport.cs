namespace Aviary.Agents.Models;

/// <summary>Every feature's comparison, and whether any of them drifted.</summary>
public sealed record DriftReport(IReadOnlyList<FeatureDrift> Features, bool Drifted)
{
    /// <summary>The drifted features' names, for a reason line.</summary>
    public IEnumerable<string> DriftedFeatures => Features.Where(f => f.Drifted).Select(f => f.Feature);
}
