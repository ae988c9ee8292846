using Aviary.Agents.Models;
using Aviary.Models;

namespace Aviary.Tests.Models;

public sealed class DriftCheckTests
{
    private static readonly ReferenceProfile Reference = new()
    {
        Rows = 1000,
        Features =
        [
            new FeatureReference { Name = "x", Kind = FeatureKinds.Numeric, Edges = [10], Proportions = [0.5, 0.5], Count = 1000 },
            new FeatureReference { Name = "c", Kind = FeatureKinds.Category, Categories = ["a"], Proportions = [0.6, 0.4], Count = 1000 },
        ],
    };

    [Fact]
    public void Compare_SameProportions_NothingDrifted()
    {
        var report = DriftCheck.Compare(Reference, [Counts("x", 100, 100), Counts("c", 120, 80)]);

        Assert.False(report.Drifted);
        Assert.All(report.Features, f => Assert.Equal((0.0, "stable", false), (Math.Round(f.Psi, 12), f.Band, f.Drifted)));
        Assert.Equal(("ks", "chi-square"), (report.Features[0].Test, report.Features[1].Test));
        Assert.Equal(1.0, report.Features[0].PValue, 9);
    }

    [Fact]
    public void Compare_NumericShift_PsiKsAndVerdictAsComputedByHand()
    {
        // 0.2/0.8 against 0.5/0.5: PSI = (0.2−0.5)·ln(0.4) + (0.8−0.5)·ln(1.6) = 0.27489 + 0.14100 = 0.41589;
        // D = |0.5 − 0.2| = 0.3 with nₑ = 1000·200/1200.
        var report = DriftCheck.Compare(Reference, [Counts("x", 40, 160), Counts("c", 120, 80)]);

        var x = report.Features[0];
        Assert.Equal(0.3 * Math.Log(2.5) + 0.3 * Math.Log(1.6), x.Psi, 12);
        Assert.Equal(("significant", true, 200L), (x.Band, x.Drifted, x.LiveCount));
        Assert.Equal(0.3, x.Statistic, 12);
        Assert.Equal(KolmogorovSmirnov.PValue(0.3, 1000, 200), x.PValue, 15);
        Assert.True(report.Drifted);
        Assert.Equal(["x"], report.DriftedFeatures);
    }

    [Fact]
    public void Compare_CategoryShift_ChiSquareAgainstTheReferenceScaledToItsSize()
    {
        // Reference 600/400, live 60/140 (of 200): the 2 × 2 table's expected cells are 550, 450, 110, 90.
        var report = DriftCheck.Compare(Reference, [Counts("x", 100, 100), Counts("c", 60, 140)]);

        var c = report.Features[1];
        var expected = 50.0 * 50 / 550 + 50.0 * 50 / 450 + 50.0 * 50 / 110 + 50.0 * 50 / 90;
        Assert.Equal(expected, c.Statistic, 9);
        Assert.True(c.PValue < 1e-9);
        Assert.True(c.Drifted);
    }

    [Fact]
    public void Compare_TooFewLiveValues_NotEnoughDataAndNeverDrifted()
    {
        var report = DriftCheck.Compare(Reference, [Counts("x", 0, 99)]);

        Assert.Equal(("not enough data", false, 99L), (report.Features[0].Band, report.Features[0].Drifted, report.Features[0].LiveCount));
        Assert.Equal(("not enough data", 0L), (report.Features[1].Band, report.Features[1].LiveCount)); // no counts at all
        Assert.False(report.Drifted);
    }

    [Fact]
    public void Compare_ThresholdsApply()
    {
        var lenient = new DriftThresholds { MaxPsi = 1, Alpha = 1e-20, MinLiveCount = 10 };

        var report = DriftCheck.Compare(Reference, [Counts("x", 40, 160)], lenient);

        Assert.False(report.Features[0].Drifted); // PSI 0.42 is under 1, and p (about 1e−13) is not under 1e−20
        Assert.Equal(0.3, report.Features[0].Statistic, 12);
    }

    [Fact]
    public void Compare_WrongNumberOfBins_NamesTheFeature()
    {
        var error = Assert.Throws<ArgumentException>(() => DriftCheck.Compare(Reference, [Counts("c", 1, 2, 3)]));

        Assert.Equal("live counts of feature 'c' have 3 bins, its reference 2", error.Message);
    }

    [Theory]
    [InlineData(0.30, 0.5, true)]   // large PSI alone
    [InlineData(0.15, 0.001, true)] // significant and moderate
    [InlineData(0.15, 0.02, false)] // moderate, not significant
    [InlineData(0.05, 1e-10, false)] // significant but negligible (a large sample)
    public void IsDrift_LargePsiOrSignificantAndModerate(double psi, double p, bool drift) =>
        Assert.Equal(drift, DriftThresholds.Default.IsDrift(psi, p));

    [Fact]
    public void Thresholds_OutOfRange_NameTheSetting()
    {
        Assert.Equal("alpha must be between 0 and 1, exclusive (got 2)", Assert.Throws<ArgumentException>(() => new DriftThresholds { Alpha = 2 }.Validated()).Message);
        Assert.Equal("maxPsi must be a number above 0 (got 0)", Assert.Throws<ArgumentException>(() => new DriftThresholds { MaxPsi = 0 }.Validated()).Message);
    }

    [Fact]
    public void Compare_CostDoesNotGrowWithTheValuesCounted()
    {
        var few = new[] { Counts("x", 100, 100), Counts("c", 120, 80) };
        var many = new[] { Counts("x", 100_000_000, 100_000_000), Counts("c", 120_000_000, 80_000_000) };
        DriftCheck.Compare(Reference, few);

        var before = GC.GetAllocatedBytesForCurrentThread();
        DriftCheck.Compare(Reference, few);
        var small = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        DriftCheck.Compare(Reference, many);
        var large = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(small, large);
        Assert.True(small < 2_000, $"{small} bytes for two features");
    }

    private static FeatureCounts Counts(string name, params long[] counts) => new() { Name = name, Counts = counts };
}
