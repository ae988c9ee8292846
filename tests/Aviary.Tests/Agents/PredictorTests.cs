using System.Globalization;
using Aviary.Agents.Data;

namespace Aviary.Tests.Agents;

public sealed class PredictorTests
{
    [Fact]
    public void ExactLinearData_IsRecoveredWithPerfectScores()
    {
        // y = 3 + 2a − b on 20 rows: the fit must find it exactly, test error 0, R² 1.
        var rows = Enumerable.Range(0, 20).Select(i => new string?[]
        {
            i.ToString(CultureInfo.InvariantCulture),
            (i * i % 7).ToString(CultureInfo.InvariantCulture),
            (3 + 2 * i - i * i % 7).ToString(CultureInfo.InvariantCulture),
        }).ToArray();

        var p = Predictor.Fit(new Dataset(["a", "b", "y"], rows), "y");

        Assert.Equal(["a", "b"], p.Features);
        Assert.Equal(3, p.Intercept, 9);
        Assert.Equal(2, p.Coefficients[0], 9);
        Assert.Equal(-1, p.Coefficients[1], 9);
        Assert.Equal((16, 4, 0), (p.TrainRows, p.TestRows, p.DroppedRows));
        Assert.Equal(1, p.R2, 9);
        Assert.Equal(0, p.Mae, 9);
    }

    [Fact]
    public void RowsWithMissingOrTextValues_AreDroppedAndCounted()
    {
        var rows = Enumerable.Range(0, 12).Select(i => new string?[] { i.ToString(CultureInfo.InvariantCulture), (2 * i).ToString(CultureInfo.InvariantCulture) })
            .Append(["x", "1"]).Append([null, "2"]).ToArray();

        var p = Predictor.Fit(new Dataset(["a", "y"], rows), "y", ["a"]);

        Assert.Equal(2, p.DroppedRows);
        Assert.Equal(2, p.Coefficients[0], 9);
    }

    [Fact]
    public void UnknownTarget_NamesIt()
    {
        var error = Assert.Throws<ArgumentException>(() => Predictor.Fit(new Dataset(["a"], [["1"]]), "price"));

        Assert.StartsWith("no column 'price'", error.Message);
    }
}
