using System.Globalization;
using Aviary.Agents.Data;
using Aviary.Agents.Models;
using Aviary.Models;

namespace Aviary.Tests.Models;

public sealed class ReferenceProfilesTests
{
    [Fact]
    public void Numeric_OneToHundred_TenEqualBinsAtTheDeciles()
    {
        // Decile q at position q·99 between closest ranks: 0.1 → 9.9 → 10.9, 0.2 → 20.8, … 0.9 → 90.1.
        var data = new Dataset(["x"], [.. Enumerable.Range(1, 100).Select(i => new string?[] { i.ToString(CultureInfo.InvariantCulture) })]);

        var x = ReferenceProfiles.Build(data, ["x"]).Features.Single();

        Assert.Equal(FeatureKinds.Numeric, x.Kind);
        Assert.Equal([10.9, 20.8, 30.7, 40.6, 50.5, 60.4, 70.3, 80.2, 90.1], x.Edges.Select(e => Math.Round(e, 9)));
        Assert.All(x.Proportions, p => Assert.Equal(0.1, p, 12));
        Assert.Equal(100, x.Count);
    }

    [Fact]
    public void Numeric_RepeatedValues_EqualEdgesMergeAndNoEdgeAtTheMinimum()
    {
        // 1,1,1,1,1,2,3,4,5,6: deciles 1,1,1,1 (the minimum: no edge), 1.5, 2.4, 3.3, 4.2, 5.1.
        string?[][] rows = [["1"], ["1"], ["1"], ["1"], ["1"], ["2"], ["3"], ["4"], ["5"], ["6"], [null], ["n/a"]];

        var x = ReferenceProfiles.Build(new Dataset(["x"], rows), [("x", FeatureKinds.Numeric)]).Features.Single();

        Assert.Equal([1.5, 2.4, 3.3, 4.2, 5.1], x.Edges.Select(e => Math.Round(e, 9)));
        Assert.Equal([0.5, 0.1, 0.1, 0.1, 0.1, 0.1], x.Proportions.Select(p => Math.Round(p, 12)));
        Assert.Equal(10, x.Count); // the missing and the text cell are not counted
    }

    [Fact]
    public void Category_ValuesByFrequency_ThenOther()
    {
        string?[][] rows = [["a"], ["b"], ["a"], [null], ["c"], ["a"], ["b"]];

        var c = ReferenceProfiles.Build(new Dataset(["c"], rows), ["c"]).Features.Single();

        Assert.Equal(FeatureKinds.Category, c.Kind);
        Assert.Equal(["a", "b", "c"], c.Categories);
        Assert.Equal([0.5, 2 / 6.0, 1 / 6.0, 0], c.Proportions.Select(p => Math.Round(p, 12)).ToArray(), new RoundedComparer());
        Assert.Equal(4, c.Bins);
    }

    [Fact]
    public void Category_MoreThanFifty_TheRestIsOther()
    {
        // Value k appears k + 1 times (k = 0..59): the 50 most frequent are 59 down to 10; 0..9 make 55 others.
        var rows = Enumerable.Range(0, 60).SelectMany(k => Enumerable.Repeat(new string?[] { $"v{k}" }, k + 1)).ToList();

        var c = ReferenceProfiles.Build(new Dataset(["c"], rows), [("c", FeatureKinds.Category)]).Features.Single();

        Assert.Equal(50, c.Categories.Length);
        Assert.Equal(("v59", "v10"), (c.Categories[0], c.Categories[^1]));
        Assert.Equal(55.0 / rows.Count, c.Proportions[^1], 12);
    }

    [Fact]
    public void Build_OnlyTheGivenRows()
    {
        var data = new Dataset(["x"], [["1"], ["2"], ["100"], ["200"]]);

        var profile = ReferenceProfiles.Build(data, [("x", FeatureKinds.Numeric)], rows: [0, 1]);

        Assert.Equal((2, 2L), (profile.Rows, profile.Features[0].Count));
        // Deciles of 1 and 2: 1.1, 1.2, … 1.9; half the values below the first, half at or above the last.
        Assert.Equal([1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9], profile.Features[0].Edges.Select(e => Math.Round(e, 9)));
        Assert.Equal([0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0.5], profile.Features[0].Proportions);
    }

    [Fact]
    public void Build_UnknownFeature_NamesIt()
    {
        var error = Assert.Throws<ArgumentException>(() => ReferenceProfiles.Build(new Dataset(["x"], []), ["y"]));

        Assert.Equal("feature 'y': no such column", error.Message);
    }

    private sealed class RoundedComparer : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) < 1e-12;

        public int GetHashCode(double value) => 0;
    }
}
