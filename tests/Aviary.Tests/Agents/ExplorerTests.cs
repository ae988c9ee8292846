using Aviary.Agents.Data;

namespace Aviary.Tests.Agents;

public sealed class ExplorerTests
{
    [Fact]
    public void NumericColumn_FiguresMatchAHandComputedTable()
    {
        // 2, 4, 4, 4, 5, 5, 7, 9 and one missing: mean 5, sample std sqrt(32/7),
        // quantiles by linear interpolation: p25 = 4, median = 4.5, p75 = 5.5.
        var profile = Explorer.ProfileColumn("x", ["2", "4", "4", "4", "5", "5", "7", "9", null]);

        Assert.Equal("integer", profile.Type);
        Assert.Equal((9, 1, 5), (profile.Count, profile.Missing, profile.Distinct));
        Assert.Equal((2.0, 9.0), (profile.Min, profile.Max));
        Assert.Equal(5.0, profile.Mean);
        Assert.Equal(Math.Sqrt(32.0 / 7), profile.Std!.Value, 12);
        Assert.Equal((4.0, 4.5, 5.5), (profile.P25, profile.Median, profile.P75));
    }

    [Fact]
    public void MixedColumn_IsReportedWithStatisticsOfItsNumbers()
    {
        var profile = Explorer.ProfileColumn("price", ["10", "n/a", "20", "30.5"]);

        Assert.Equal("mixed", profile.Type);
        Assert.Equal(1, profile.NonNumeric);
        Assert.Equal(20.166666666666668, profile.Mean!.Value, 12);
        Assert.Equal(20.0, profile.Median);
    }

    [Theory]
    [InlineData(new[] { "true", "false", "True" }, "boolean")]
    [InlineData(new[] { "2026-01-02", "2026-11-23T10:00:00Z" }, "date")]
    [InlineData(new[] { "north", "south" }, "text")]
    [InlineData(new[] { "1.5", "2" }, "number")]
    public void Types_AreInferred(string[] values, string type)
    {
        Assert.Equal(type, Explorer.ProfileColumn("c", values).Type);
    }

    [Fact]
    public void EmptyColumn_HasNoStatistics()
    {
        var profile = Explorer.ProfileColumn("c", [null, null]);

        Assert.Equal("empty", profile.Type);
        Assert.Equal(2, profile.Missing);
        Assert.Null(profile.Mean);
    }
}
