using System.Globalization;
using Aviary.Agents.Data;
using Aviary.Agents.Models;

namespace Aviary.Tests.Models;

/// <summary>The predictor at a million rows and with badly scaled features: memory bounded by the data, answers unchanged.</summary>
public sealed class PredictorScaleTests
{
    [Fact]
    public void Fit_MillionRows_AllocatesUnderTenTimesTheRawNumbers()
    {
        var data = ShiftingData.Generate(1_000_000, seed: 8, shift: 0);
        string[] features = ["sqft", "age", "rooms", "distance"];
        var raw = 1_000_000L * (features.Length + 1) * sizeof(double);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var p = Predictor.Fit(data, "price", features);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 10 * raw, $"Fit allocated {allocated:N0} bytes; the raw numbers are {raw:N0}");
        Assert.Equal((800_000, 200_000, 0), (p.TrainRows, p.TestRows, p.DroppedRows));
        // price = 50 + 0.15 sqft − 1.5 age + 6 rooms − 2.5 distance + region + noise: the fit finds the slopes.
        Assert.Equal(0.15, p.Coefficients[0], 2);
        Assert.Equal(-1.5, p.Coefficients[1], 1);
        Assert.Equal(-2.5, p.Coefficients[3], 1);
        Assert.True(p.R2 > 0.7, $"R² {p.R2}");
    }

    [Fact]
    public void Fit_FeatureInHugeUnits_IsNotCalledCollinear()
    {
        // y = 1 + 2a + 3·10⁻⁹·b, with b in the billions: unscaled, b's column dwarfs the intercept's.
        var rows = Enumerable.Range(0, 40).Select(i =>
        {
            var a = (double)(i % 7);
            var b = 1e9 * ((i * 13) % 11);
            return new string?[] { a.ToString(CultureInfo.InvariantCulture), b.ToString("R", CultureInfo.InvariantCulture), (1 + 2 * a + 3e-9 * b).ToString("R", CultureInfo.InvariantCulture) };
        }).ToArray();

        var p = Predictor.Fit(new Dataset(["a", "b", "y"], rows), "y");

        Assert.Equal(1, p.Intercept, 6);
        Assert.Equal(2, p.Coefficients[0], 6);
        Assert.Equal(3e-9, p.Coefficients[1], 15);
    }

    [Fact]
    public void Shuffle_IsTheOrderOfSortingByOneRandomKeyPerRow()
    {
        var random = new Random(42);
        var expected = Enumerable.Range(0, 1_000).OrderBy(_ => random.Next()).ToArray();

        Assert.Equal(expected, Predictor.Shuffle(1_000, 42));
    }

    [Fact]
    public void Fit_ConstantColumn_IsCollinearWithTheIntercept()
    {
        var rows = Enumerable.Range(0, 20).Select(i => new string?[] { $"{i}", "5", $"{2 * i}" }).ToArray();

        var error = Assert.Throws<ArgumentException>(() => Predictor.Fit(new Dataset(["a", "c", "y"], rows), "y"));

        Assert.StartsWith("no unique fit: the features (a, c) are collinear", error.Message);
    }
}
