namespace Aviary.Agents.Models;

/// <summary>
/// The two-sample Kolmogorov–Smirnov test: D, the largest gap between two empirical distribution
/// functions, exact on raw values or at the bin edges of binned counts; the p-value from the
/// asymptotic Kolmogorov distribution at the effective size n·m/(n+m), with Stephens' small-sample
/// correction λ = (√nₑ + 0.12 + 0.11/√nₑ)·D.
/// </summary>
public static class KolmogorovSmirnov
{
    /// <summary>D and its p-value for two samples of raw values (copied and sorted; NaN left out).</summary>
    public static (double Statistic, double PValue) Test(IEnumerable<double> first, IEnumerable<double> second)
    {
        var a = first.Where(double.IsFinite).ToArray();
        var b = second.Where(double.IsFinite).ToArray();
        Array.Sort(a);
        Array.Sort(b);
        var d = Statistic(a, b);
        return (d, PValue(d, a.Length, b.Length));
    }

    /// <summary>D of two sorted samples: the gap is measured after each distinct value, ties stepping together.</summary>
    public static double Statistic(ReadOnlySpan<double> sortedFirst, ReadOnlySpan<double> sortedSecond)
    {
        if (sortedFirst.Length == 0 || sortedSecond.Length == 0)
            return 0;
        int i = 0, j = 0;
        var d = 0.0;
        while (i < sortedFirst.Length && j < sortedSecond.Length)
        {
            var x = Math.Min(sortedFirst[i], sortedSecond[j]);
            while (i < sortedFirst.Length && sortedFirst[i] == x)
                i++;
            while (j < sortedSecond.Length && sortedSecond[j] == x)
                j++;
            d = Math.Max(d, Math.Abs((double)i / sortedFirst.Length - (double)j / sortedSecond.Length));
        }
        return d;
    }

    /// <summary>D and its p-value of live counts against reference proportions over the same ordered bins.</summary>
    public static (double Statistic, double PValue) Binned(ReadOnlySpan<double> reference, long referenceCount, ReadOnlySpan<long> live)
    {
        if (reference.Length != live.Length)
            throw new ArgumentException($"the live counts have {live.Length} bins, the reference {reference.Length}");
        long total = 0;
        foreach (var count in live)
            total += count;
        if (total == 0 || referenceCount <= 0)
            return (0, 1);
        double cumulativeReference = 0, cumulativeLive = 0, d = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            cumulativeReference += reference[i];
            cumulativeLive += (double)live[i] / total;
            d = Math.Max(d, Math.Abs(cumulativeReference - cumulativeLive));
        }
        return (d, PValue(d, referenceCount, total));
    }

    /// <summary>P(D ≥ d) for samples of sizes n and m, asymptotically.</summary>
    public static double PValue(double d, double n, double m)
    {
        if (n <= 0 || m <= 0)
            return 1;
        var root = Math.Sqrt(n * m / (n + m));
        return Survival((root + 0.12 + 0.11 / root) * d);
    }

    /// <summary>
    /// Q(λ) = P(K > λ) of the Kolmogorov distribution: 2 Σ (−1)^(j−1) e^(−2j²λ²) for larger λ,
    /// and 1 − (√(2π)/λ) Σ e^(−(2j−1)²π²/(8λ²)) for small λ, where the first series converges slowly.
    /// </summary>
    public static double Survival(double lambda)
    {
        if (lambda <= 0)
            return 1;
        if (lambda < 1)
        {
            var sum = 0.0;
            for (var j = 1; j <= 20; j++)
            {
                var k = 2 * j - 1;
                sum += Math.Exp(-k * k * Math.PI * Math.PI / (8 * lambda * lambda));
            }
            return Math.Clamp(1 - Math.Sqrt(2 * Math.PI) / lambda * sum, 0, 1);
        }
        var q = 0.0;
        for (var j = 1; j <= 100; j++)
        {
            var term = Math.Exp(-2.0 * j * j * lambda * lambda);
            q += (j % 2 == 1 ? 2 : -2) * term;
            if (term < 1e-17)
                break;
        }
        return Math.Clamp(q, 0, 1);
    }
}
