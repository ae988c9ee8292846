using Aviary.Models;

namespace Aviary.Agents.Models;

/// <summary>
/// Compares live inputs, counted into a model's reference bins, with the reference: PSI and the
/// Kolmogorov–Smirnov test on binned counts for numbers, PSI and chi-square for categories. Pure
/// and cheap: work per feature is linear in its bins, never in the values counted.
/// </summary>
public static class DriftCheck
{
    public const string NotEnoughData = "not enough data";
    public const string Ks = "ks";
    public const string ChiSquare = "chi-square";

    /// <summary>
    /// One result per reference feature, in the reference's order; a feature without live counts
    /// (or with fewer than <see cref="DriftThresholds.MinLiveCount"/>) is <see cref="NotEnoughData"/>.
    /// Live counts whose bins do not match their reference's are refused, naming the feature.
    /// </summary>
    public static DriftReport Compare(ReferenceProfile reference, IReadOnlyList<FeatureCounts> live, DriftThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(live);
        thresholds ??= DriftThresholds.Default;
        var results = new FeatureDrift[reference.Features.Length];
        var drifted = false;
        for (var f = 0; f < results.Length; f++)
        {
            var feature = reference.Features[f];
            var counts = Find(live, feature.Name);
            if (counts is not null && counts.Counts.Length != feature.Bins)
                throw new ArgumentException($"live counts of feature '{feature.Name}' have {counts.Counts.Length} bins, its reference {feature.Bins}");
            results[f] = Compare(feature, counts?.Counts ?? [], counts?.Missing ?? 0, thresholds);
            drifted |= results[f].Drifted;
        }
        return new DriftReport(results, drifted);
    }

    /// <summary>One feature: live counts in its bins (empty for none) and how many values were missing.</summary>
    public static FeatureDrift Compare(FeatureReference feature, ReadOnlySpan<long> counts, long missing, DriftThresholds thresholds)
    {
        var category = feature.Kind == FeatureKinds.Category;
        var test = category ? ChiSquare : Ks;
        long total = 0;
        foreach (var count in counts)
            total += count;
        if (total < thresholds.MinLiveCount || feature.Count <= 0)
            return new FeatureDrift(feature.Name, feature.Kind, total, missing, 0, NotEnoughData, test, 0, 1, false);
        var psi = PopulationStability.Index(feature.Proportions, counts);
        double statistic, p;
        if (category)
        {
            // Reference counts as the proportions scaled back to the reference's size.
            Span<double> expected = feature.Proportions.Length <= 256 ? stackalloc double[feature.Proportions.Length] : new double[feature.Proportions.Length];
            for (var i = 0; i < expected.Length; i++)
                expected[i] = feature.Proportions[i] * feature.Count;
            (statistic, _, p) = ChiSquareTest.Homogeneity(expected, counts);
        }
        else
        {
            (statistic, p) = KolmogorovSmirnov.Binned(feature.Proportions, feature.Count, counts);
        }
        return new FeatureDrift(feature.Name, feature.Kind, total, missing, psi, PopulationStability.Band(psi), test, statistic, p, thresholds.IsDrift(psi, p));
    }

    private static FeatureCounts? Find(IReadOnlyList<FeatureCounts> live, string name)
    {
        for (var i = 0; i < live.Count; i++)
        {
            if (string.Equals(live[i].Name, name, StringComparison.Ordinal))
                return live[i];
        }
        return null;
    }
}
