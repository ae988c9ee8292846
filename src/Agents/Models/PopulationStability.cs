namespace Aviary.Agents.Models;

/// <summary>
/// Population stability index: Σ (live − reference) · ln(live / reference) over the bins'
/// proportions, each proportion at least <see cref="Epsilon"/> so an empty bin gives a large
/// finite figure rather than infinity. Bands: below 0.1 stable, below 0.25 moderate, else significant.
/// </summary>
public static class PopulationStability
{
    public const double Epsilon = 1e-4;
    public const double ModerateFrom = 0.1;
    public const double SignificantFrom = 0.25;

    public const string Stable = "stable";
    public const string Moderate = "moderate";
    public const string Significant = "significant";

    /// <summary>The index of live counts against reference proportions (same bins, same order).</summary>
    public static double Index(ReadOnlySpan<double> reference, ReadOnlySpan<long> live)
    {
        if (reference.Length != live.Length)
            throw new ArgumentException($"the live counts have {live.Length} bins, the reference {reference.Length}");
        long total = 0;
        foreach (var count in live)
            total += count;
        if (total == 0)
            return 0;
        var psi = 0.0;
        for (var i = 0; i < reference.Length; i++)
            psi += Term(reference[i], (double)live[i] / total);
        return psi;
    }

    /// <summary>The index of two sets of proportions (same bins, same order).</summary>
    public static double Index(ReadOnlySpan<double> reference, ReadOnlySpan<double> live)
    {
        if (reference.Length != live.Length)
            throw new ArgumentException($"the live proportions have {live.Length} bins, the reference {reference.Length}");
        var psi = 0.0;
        for (var i = 0; i < reference.Length; i++)
            psi += Term(reference[i], live[i]);
        return psi;
    }

    public static string Band(double psi) => psi < ModerateFrom ? Stable : psi < SignificantFrom ? Moderate : Significant;

    private static double Term(double reference, double live)
    {
        var e = Math.Max(reference, Epsilon);
        var a = Math.Max(live, Epsilon);
        return (a - e) * Math.Log(a / e);
    }
}
