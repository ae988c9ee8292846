using MathNet.Numerics.LinearAlgebra;

namespace Aviary.Agents.Data;

/// <summary>A fitted linear model and how it did on the rows held out for testing.</summary>
public sealed record Prediction(
    string Target,
    IReadOnlyList<string> Features,
    double Intercept,
    IReadOnlyList<double> Coefficients,
    int TrainRows,
    int TestRows,
    int DroppedRows,
    double R2,
    double Mae,
    double Rmse);

/// <summary>
/// Linear regression (ordinary least squares, MathNet.Numerics) of a target column on feature
/// columns, with a seeded train/test split. Rows where any used column is missing or not a number
/// are dropped and counted.
/// </summary>
public static class Predictor
{
    public static Prediction Fit(Dataset data, string target, IReadOnlyList<string>? features = null, double testFraction = 0.2, int seed = 42)
    {
        var t = data.ColumnIndex(target);
        if (t < 0)
            throw new ArgumentException($"no column '{target}'", nameof(target));
        if (testFraction is <= 0 or >= 1)
            throw new ArgumentException("the test fraction must be between 0 and 1 (exclusive)", nameof(testFraction));
        features ??= Explorer.Profile(data)
            .Where(p => p.Type is "integer" or "number" && !p.Name.Equals(target, StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Name).ToList();
        if (features.Count == 0)
            throw new ArgumentException("no numeric feature column to predict from", nameof(features));
        var f = features.Select(name => data.ColumnIndex(name) is var i and >= 0 ? i : throw new ArgumentException($"no column '{name}'", nameof(features))).ToArray();

        var rows = new List<(double[] X, double Y)>();
        var dropped = 0;
        foreach (var row in data.Rows)
        {
            var x = new double[f.Length];
            var ok = TryCell(row, t, out var y);
            for (var i = 0; ok && i < f.Length; i++)
                ok = TryCell(row, f[i], out x[i]);
            if (ok)
                rows.Add((x, y));
            else
                dropped++;
        }
        var random = new Random(seed);
        var shuffled = rows.OrderBy(_ => random.Next()).ToList();
        var testCount = Math.Max(1, (int)Math.Round(shuffled.Count * testFraction));
        var train = shuffled.Take(shuffled.Count - testCount).ToList();
        var test = shuffled.Skip(shuffled.Count - testCount).ToList();
        if (train.Count <= f.Length)
            throw new ArgumentException($"{train.Count} complete training row(s) cannot fit {f.Length} feature(s)");

        // Collinear features (a constant column, one a multiple of another) have no unique fit; QR
        // would still return numbers. The rank of X itself (its singular values, not X'X's, which
        // would square how differently the columns are scaled).
        // The same design matrix (an intercept column, then the features) is then solved by QR.
        var design = Matrix<double>.Build.Dense(train.Count, f.Length + 1, (r, c) => c == 0 ? 1 : train[r].X[c - 1]);
        var fit = design.Rank() == f.Length + 1
            ? design.QR().Solve(Vector<double>.Build.Dense([.. train.Select(r => r.Y)])).ToArray()
            : null;
        if (fit is null || !fit.All(double.IsFinite))
            throw new ArgumentException($"no unique fit: the features ({string.Join(", ", features)}) are collinear, e.g. a constant column or one that repeats another");
        double Predict(double[] x) => fit[0] + x.Select((v, i) => v * fit[i + 1]).Sum();
        var actual = test.Select(r => r.Y).ToArray();
        var predicted = test.Select(r => Predict(r.X)).ToArray();
        var mean = actual.Average();
        var ssRes = actual.Zip(predicted, (a, p) => (a - p) * (a - p)).Sum();
        var ssTot = actual.Sum(a => (a - mean) * (a - mean));
        return new Prediction(target, [.. features], fit[0], fit[1..], train.Count, test.Count, dropped,
            R2: ssTot == 0 ? (ssRes == 0 ? 1 : 0) : 1 - ssRes / ssTot,
            Mae: actual.Zip(predicted, (a, p) => Math.Abs(a - p)).Average(),
            Rmse: Math.Sqrt(ssRes / actual.Length));
    }

    private static bool TryCell(string?[] row, int column, out double value)
    {
        value = 0;
        return column < row.Length && row[column] is { } cell && Explorer.TryNumber(cell, out value);
    }
}
