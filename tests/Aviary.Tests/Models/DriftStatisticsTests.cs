using Aviary.Agents.Models;

namespace Aviary.Tests.Models;

/// <summary>The statistics against figures worked out by hand (the arithmetic in each comment).</summary>
public sealed class DriftStatisticsTests
{
    [Fact]
    public void Psi_TwoBins_MatchesHandComputed()
    {
        // Live 0.3/0.7 against 0.5/0.5: (0.3−0.5)·ln(0.3/0.5) + (0.7−0.5)·ln(0.7/0.5) = 0.1021651 + 0.0672944.
        var psi = PopulationStability.Index([0.5, 0.5], [30L, 70L]);

        Assert.Equal(0.16945957207744072, psi, 12);
    }

    [Fact]
    public void Psi_EmptyReferenceBin_IsSmoothedToAFiniteFigure()
    {
        // The empty bin counts as 1e-4: (0.5−1)·ln(0.5/1) + (0.5−0.0001)·ln(0.5/0.0001) = 0.3465736 + 4.2577449.
        var psi = PopulationStability.Index([1.0, 0.0], [50L, 50L]);

        Assert.Equal(4.60431846666895, psi, 10);
    }

    [Fact]
    public void Psi_SameProportions_IsZero_AndNoLiveCountsIsZero()
    {
        Assert.Equal(0, PopulationStability.Index([0.2, 0.3, 0.5], [20L, 30L, 50L]), 15);
        Assert.Equal(0, PopulationStability.Index([0.2, 0.8], [0L, 0L]));
    }

    [Fact]
    public void Psi_BinCountMismatch_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => PopulationStability.Index([0.5, 0.5], [1L, 2L, 3L]));

        Assert.Equal("the live counts have 3 bins, the reference 2", error.Message);
    }

    [Theory]
    [InlineData(0.0, "stable")]
    [InlineData(0.0999, "stable")]
    [InlineData(0.1, "moderate")]
    [InlineData(0.2499, "moderate")]
    [InlineData(0.25, "significant")]
    [InlineData(3.0, "significant")]
    public void PsiBand_Boundaries_AreTheUsualOnes(double psi, string band) =>
        Assert.Equal(band, PopulationStability.Band(psi));

    [Fact]
    public void KsStatistic_DisjointHalves_IsTheLargestGap()
    {
        // After 2: F₁ = 0.5, F₂ = 0; after 3: 0.75 vs 0.25; after 4: 1 vs 0.5; then 1 vs 0.75, 1 vs 1.
        Assert.Equal(0.5, KolmogorovSmirnov.Statistic([1, 2, 3, 4], [3, 4, 5, 6]));
    }

    [Fact]
    public void KsStatistic_Ties_StepTogether()
    {
        // After 1: 0.25 vs 0; after 2: 0.75 vs 1; after 3: 1 vs 1. Stepping one value at a time would claim 0.5.
        Assert.Equal(0.25, KolmogorovSmirnov.Statistic([1, 2, 2, 3], [2, 2, 2, 2]));
    }

    [Theory]
    [InlineData(1.0, 0.26999967167735456)] // 2(e⁻² − e⁻⁸ + e⁻¹⁸ − …)
    [InlineData(0.5, 0.9639452436648751)] // 1 − √(2π)/0.5 · Σ e^(−(2j−1)²π²/2)
    [InlineData(1.5, 0.022217962616525127)]
    [InlineData(0.0, 1.0)]
    public void KolmogorovSurvival_MatchesTheSeries(double lambda, double expected) =>
        Assert.Equal(expected, KolmogorovSmirnov.Survival(lambda), 12);

    [Fact]
    public void KsBinned_UsesCumulativeProportionsAndTheEffectiveSize()
    {
        // Cumulative reference 0.25, 0.5, 1 against live 0.5, 0.8, 1: D = 0.3. nₑ = 1000·100/1100 = 90.909,
        // λ = (√nₑ + 0.12 + 0.11/√nₑ)·0.3 = 2.89985, Q(λ) = 9.9302e−8.
        var (d, p) = KolmogorovSmirnov.Binned([0.25, 0.25, 0.5], 1000, [50L, 30L, 20L]);

        Assert.Equal(0.3, d, 12);
        Assert.Equal(9.930207462707406e-08, p, 15);
    }

    [Fact]
    public void KsTest_RawValues_SameAsBinnedFormula()
    {
        var (d, p) = KolmogorovSmirnov.Test([1, 2, 3, 4], [3, 4, 5, 6]);

        Assert.Equal(0.5, d);
        Assert.Equal(KolmogorovSmirnov.PValue(0.5, 4, 4), p, 15);
        Assert.True(p > 0.5); // four values each: no evidence of a difference
    }

    [Fact]
    public void ChiSquare_TwoByTwo_MatchesHandComputed()
    {
        // Column totals 100 and 100 of 200: every expected cell is 50; Σ (10²/50) over four cells = 8,
        // one degree of freedom: p = erfc(√4) = 0.0046777.
        var (statistic, df, p) = ChiSquareTest.Homogeneity([60.0, 40.0], [40L, 60L]);

        Assert.Equal(8, statistic, 12);
        Assert.Equal(1, df);
        Assert.Equal(0.004677734981047265, p, 9);
    }

    [Fact]
    public void ChiSquare_CategoryEmptyInBoth_IsLeftOut()
    {
        var (statistic, df, p) = ChiSquareTest.Homogeneity([60.0, 0.0, 40.0], [40L, 0L, 60L]);

        Assert.Equal((8.0, 1), (Math.Round(statistic, 12), df));
        Assert.Equal(0.004677734981047265, p, 9);
    }

    [Fact]
    public void ChiSquare_SameProportions_IsZeroWithPOne()
    {
        var (statistic, df, p) = ChiSquareTest.Homogeneity([200.0, 300.0, 500.0], [20L, 30L, 50L]);

        Assert.Equal((0.0, 2, 1.0), (Math.Round(statistic, 12), df, Math.Round(p, 12)));
    }
}
