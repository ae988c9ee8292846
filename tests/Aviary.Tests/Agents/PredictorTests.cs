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

    [Fact]
    public void NoisyData_FitAndScores_MatchTheClosedForm()
    {
        // y = 1 + 2x + noise on 30 rows; the fit and its test scores against ordinary least squares
        // worked out here from the same seeded split (24 train, 6 test).
        var noise = Enumerable.Range(0, 30).Select(i => (i * 7 % 5) - 2.0).ToArray();
        var rows = Enumerable.Range(0, 30).Select(i => new string?[] { i.ToString(CultureInfo.InvariantCulture), (1 + 2 * i + noise[i]).ToString(CultureInfo.InvariantCulture) }).ToArray();
        var random = new Random(7);
        var shuffled = Enumerable.Range(0, 30).Select(i => (X: (double)i, Y: 1 + 2 * i + noise[i])).OrderBy(_ => random.Next()).ToArray();
        var train = shuffled[..24];
        var test = shuffled[24..];
        var (mx, my) = (train.Average(r => r.X), train.Average(r => r.Y));
        var slope = train.Sum(r => (r.X - mx) * (r.Y - my)) / train.Sum(r => (r.X - mx) * (r.X - mx));
        var intercept = my - slope * mx;
        var errors = test.Select(r => r.Y - (intercept + slope * r.X)).ToArray();
        var testMean = test.Average(r => r.Y);
        var r2 = 1 - errors.Sum(e => e * e) / test.Sum(r => (r.Y - testMean) * (r.Y - testMean));

        var p = Predictor.Fit(new Dataset(["x", "y"], rows), "y", ["x"], testFraction: 0.2, seed: 7);

        Assert.Equal((24, 6), (p.TrainRows, p.TestRows));
        Assert.Equal(intercept, p.Intercept, 9);
        Assert.Equal(slope, p.Coefficients[0], 9);
        Assert.Equal(r2, p.R2, 9);
        Assert.Equal(errors.Average(Math.Abs), p.Mae, 9);
        Assert.Equal(Math.Sqrt(errors.Average(e => e * e)), p.Rmse, 9);
        Assert.True(p.R2 is > 0.9 and < 1);
    }

    [Fact]
    public void CollinearFeatures_AreRefusedWithTheReason()
    {
        var rows = Enumerable.Range(0, 20).Select(i => new string?[] { $"{i}", $"{2 * i}", $"{3 * i + i % 3}" }).ToArray();

        var error = Assert.Throws<ArgumentException>(() => Predictor.Fit(new Dataset(["a", "b", "y"], rows), "y", ["a", "b"]));

        Assert.StartsWith("no unique fit: the features (a, b) are collinear", error.Message);
    }

    [Fact]
    public async Task Agent_BadSplitSettings_AreInvalidInput()
    {
        var dir = Directory.CreateTempSubdirectory("aviary-predict-").FullName;
        try
        {
            var files = new Aviary.Agents.AgentFiles(dir, dir);
            DatasetFile.Write(Path.Combine(dir, "d.json"), new Dataset(["x", "y"], [["1", "2"], ["2", "4"], ["3", "6"]]), []);
            var agent = new PredictorAgent(files);

            var result = await agent.ExecuteAsync(new Aviary.Agents.AgentRequest("r", "p", 1, new Dictionary<string, string> { ["data"] = "d.json", ["target"] = "y", ["testFraction"] = "a fifth" }), CancellationToken.None);

            Assert.Equal(("InvalidInput", "input.testFraction must be a number between 0 and 1 (got 'a fifth')"), (result.ErrorKind, result.Error));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
