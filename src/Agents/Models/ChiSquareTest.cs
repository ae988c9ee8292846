using MathNet.Numerics.Distributions;

namespace Aviary.Agents.Models;

/// <summary>
/// Pearson's chi-square test of homogeneity for two sets of counts over the same categories (a
/// 2 × k table): is the live sample drawn from the reference's distribution? Categories empty in
/// both are left out; the p-value is MathNet's chi-squared upper tail with k − 1 degrees of freedom.
/// </summary>
public static class ChiSquareTest
{
    /// <summary>The statistic, degrees of freedom and p-value of reference counts (fractional counts allowed) against live counts.</summary>
    public static (double Statistic, int DegreesOfFreedom, double PValue) Homogeneity(ReadOnlySpan<double> reference, ReadOnlySpan<long> live)
    {
        if (reference.Length != live.Length)
            throw new ArgumentException($"the live counts have {live.Length} categories, the reference {reference.Length}");
        double r = 0, l = 0;
        var used = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            r += reference[i];
            l += live[i];
            if (reference[i] + live[i] > 0)
                used++;
        }
        if (r <= 0 || l <= 0 || used < 2)
            return (0, 0, 1);
        var n = r + l;
        var statistic = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            var column = reference[i] + live[i];
            if (column <= 0)
                continue;
            var expectedReference = r * column / n;
            var expectedLive = l * column / n;
            statistic += (reference[i] - expectedReference) * (reference[i] - expectedReference) / expectedReference
                + (live[i] - expectedLive) * (live[i] - expectedLive) / expectedLive;
        }
        var df = used - 1;
        return (statistic, df, ChiSquared.CDF(df, statistic) is var cdf && double.IsFinite(cdf) ? 1 - cdf : 0);
    }
}
