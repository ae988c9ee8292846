using System.Text.Json;
using Aviary.Agents.Models;
using Aviary.Models;

namespace Aviary.Tests.Models;

public sealed class FeatureBinningTests
{
    private static readonly FeatureReference Numbers = new() { Name = "x", Kind = FeatureKinds.Numeric, Edges = [1, 2, 3], Proportions = [0.25, 0.25, 0.25, 0.25], Count = 4 };
    private static readonly FeatureReference Colours = new() { Name = "c", Kind = FeatureKinds.Category, Categories = ["red", "blue"], Proportions = [0.5, 0.5, 0], Count = 2 };

    [Theory]
    [InlineData(0.5, 0)]
    [InlineData(1.0, 1)] // an edge starts its bin
    [InlineData(1.999, 1)]
    [InlineData(2.5, 2)]
    [InlineData(3.0, 3)]
    [InlineData(1e9, 3)]
    [InlineData(-1e9, 0)]
    [InlineData(double.NaN, -1)]
    public void Numeric_ValueFallsInTheBinOfTheEdgesAtOrBelowIt(double value, int bin) =>
        Assert.Equal(bin, FeatureBinning.Bin(Numbers, value));

    [Fact]
    public void Numeric_TextThatIsNotANumber_IsMissing()
    {
        Assert.Equal((1, -1, -1), (FeatureBinning.Bin(Numbers, "1.5"), FeatureBinning.Bin(Numbers, "n/a"), FeatureBinning.Bin(Numbers, (string?)null)));
    }

    [Fact]
    public void Category_KnownValues_TheirBin_OthersTheLast()
    {
        Assert.Equal((0, 1, 2, -1), (FeatureBinning.Bin(Colours, "red"), FeatureBinning.Bin(Colours, "blue"), FeatureBinning.Bin(Colours, "Red"), FeatureBinning.Bin(Colours, (string?)null)));
    }

    [Fact]
    public void Json_NumbersStringsAndNulls_BinAsTheirKind()
    {
        using var doc = JsonDocument.Parse("""[2.5, "blue", null, "x", true]""");
        var v = doc.RootElement.EnumerateArray().ToArray();

        Assert.Equal((2, 1, -1, -1, -1), (FeatureBinning.Bin(Numbers, v[0]), FeatureBinning.Bin(Colours, v[1]), FeatureBinning.Bin(Numbers, v[2]), FeatureBinning.Bin(Numbers, v[3]), FeatureBinning.Bin(Numbers, v[4])));
        Assert.Equal(2, FeatureBinning.Bin(Colours, v[4])); // "true" is not a colour: other
    }

    [Fact]
    public void Bin_AllocatesNothingPerValue()
    {
        FeatureBinning.Bin(Numbers, 1.5);
        FeatureBinning.Bin(Colours, "blue");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = 0;
        for (var i = 0; i < 10_000; i++)
            sum += FeatureBinning.Bin(Numbers, i % 5) + FeatureBinning.Bin(Colours, i % 2 == 0 ? "red" : "green");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(10_000 / 5 * (0 + 1 + 2 + 3 + 3) + 10_000 / 2 * 2, sum);
    }
}
