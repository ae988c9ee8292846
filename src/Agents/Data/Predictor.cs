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
/// Linear regression (ordinary least squares) of a target column on feature columns, with a seeded
/// train/test split. Rows where any used column is missing or not a number are dropped and counted.
/// Memory stays a small multiple of the numbers used: they are read once into one flat array, and
/// the fit is a QR decomposition built row by row (<see cref="LeastSquares"/>), never a dense
/// design matrix.
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
        features ??= NumericColumns(data, target);
        if (features.Count == 0)
            throw new ArgumentException("no numeric feature column to predict from", nameof(features));
        var f = features.Select(name => data.ColumnIndex(name) is var i and >= 0 ? i : throw new ArgumentException($"no column '{name}'", nameof(features))).ToArray();

        // Each complete row as [x₁ … xₚ, y], one after another in one array.
        var width = f.Length + 1;
        var values = new double[(long)data.Rows.Count * width];
        var count = 0;
        var dropped = 0;
        foreach (var row in data.Rows)
        {
            var at = count * width;
            var ok = TryCell(row, t, out values[at + f.Length]);
            for (var i = 0; ok && i < f.Length; i++)
                ok = TryCell(row, f[i], out values[at + i]);
            if (ok)
                count++;
            else
                dropped++;
        }
        var order = Shuffle(count, seed);
        var testCount = Math.Max(1, (int)Math.Round(count * testFraction));
        var trainCount = count - testCount;
        if (trainCount <= f.Length)
            throw new ArgumentException($"{trainCount} complete training row(s) cannot fit {f.Length} feature(s)");

        var fit = LeastSquares.Solve(values, width, order.AsSpan(0, trainCount));
        if (fit is null || !fit.All(double.IsFinite))
            throw new ArgumentException($"no unique fit: the features ({string.Join(", ", features)}) are collinear, e.g. a constant column or one that repeats another");
        double Predict(int row)
        {
            var at = row * width;
            var sum = 0.0;
            for (var i = 0; i < f.Length; i++)
                sum += values[at + i] * fit[i + 1];
            return fit[0] + sum;
        }
        var test = order.AsSpan(trainCount);
        var actual = new double[test.Length];
        var predicted = new double[test.Length];
        for (var i = 0; i < test.Length; i++)
        {
            actual[i] = values[test[i] * width + f.Length];
            predicted[i] = Predict(test[i]);
        }
        var mean = actual.Average();
        var ssRes = actual.Zip(predicted, (a, p) => (a - p) * (a - p)).Sum();
        var ssTot = actual.Sum(a => (a - mean) * (a - mean));
        return new Prediction(target, [.. features], fit[0], fit[1..], trainCount, testCount, dropped,
            R2: ssTot == 0 ? (ssRes == 0 ? 1 : 0) : 1 - ssRes / ssTot,
            Mae: actual.Zip(predicted, (a, p) => Math.Abs(a - p)).Average(),
            Rmse: Math.Sqrt(ssRes / actual.Length));
    }

    /// <summary>
    /// Rows 0..count−1 in the order <c>rows.OrderBy(_ => random.Next())</c> gave them (one key per
    /// row in row order, ties kept in row order), without a list of row objects: each key and row
    /// index packed in one long and sorted.
    /// </summary>
    public static int[] Shuffle(int count, int seed)
    {
        var random = new Random(seed);
        var keys = new long[count];
        for (var i = 0; i < count; i++)
            keys[i] = ((long)random.Next() << 31) | (uint)i;
        Array.Sort(keys);
        var order = new int[count];
        for (var i = 0; i < count; i++)
            order[i] = (int)(keys[i] & int.MaxValue);
        return order;
    }

    /// <summary>Every other column whose present cells are all numbers (at least one present): the explorer's integer and number columns.</summary>
    private static List<string> NumericColumns(Dataset data, string target)
    {
        var names = new List<string>();
        for (var c = 0; c < data.Columns.Count; c++)
        {
            if (data.Columns[c].Equals(target, StringComparison.OrdinalIgnoreCase))
                continue;
            var present = false;
            var numeric = true;
            foreach (var row in data.Rows)
            {
                if (c < row.Length && row[c] is { } cell)
                {
                    present = true;
                    if (!Explorer.TryNumber(cell, out _))
                    {
                        numeric = false;
                        break;
                    }
                }
            }
            if (present && numeric)
                names.Add(data.Columns[c]);
        }
        return names;
    }

    private static bool TryCell(string?[] row, int column, out double value)
    {
        value = 0;
        return column < row.Length && row[column] is { } cell && Explorer.TryNumber(cell, out value);
    }
}
