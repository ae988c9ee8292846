using MathNet.Numerics.LinearAlgebra;

namespace Aviary.Agents.Data;

/// <summary>
/// Ordinary least squares with an intercept, streamed: the thin QR factor R of the column-scaled
/// design matrix is built one row at a time with Givens rotations, so memory is (p+1)² numbers
/// whatever the row count. Collinearity is judged on R, whose singular values are the scaled
/// design's; scaling each column by its largest magnitude keeps a feature measured in large units
/// from looking collinear with the rest.
/// </summary>
public static class LeastSquares
{
    /// <summary>
    /// The intercept and coefficients fitting y on x for the given rows of <paramref name="values"/>
    /// (each row p numbers then y, <paramref name="width"/> = p + 1 in all); null when the design
    /// has no unique fit.
    /// </summary>
    public static double[]? Solve(double[] values, int width, ReadOnlySpan<int> rows)
    {
        var p = width - 1;
        var n = p + 1; // intercept and features
        // Scale: the intercept column is 1; a feature by its largest magnitude (1 for an all-zero column).
        var scale = new double[n];
        scale[0] = 1;
        foreach (var row in rows)
        {
            for (var j = 0; j < p; j++)
                scale[j + 1] = Math.Max(scale[j + 1], Math.Abs(values[row * width + j]));
        }
        for (var j = 1; j < n; j++)
        {
            if (scale[j] == 0)
                scale[j] = 1;
        }

        var r = new double[n * n];
        var z = new double[n];
        Span<double> a = n <= 128 ? stackalloc double[n] : new double[n];
        foreach (var row in rows)
        {
            var at = row * width;
            a[0] = 1;
            for (var j = 0; j < p; j++)
                a[j + 1] = values[at + j] / scale[j + 1];
            var b = values[at + p];
            // Rotate the new row into R, zeroing it column by column.
            for (var k = 0; k < n; k++)
            {
                if (a[k] == 0)
                    continue;
                var rkk = r[k * n + k];
                var h = Math.Sqrt(rkk * rkk + a[k] * a[k]);
                var c = rkk / h;
                var s = a[k] / h;
                r[k * n + k] = h;
                for (var j = k + 1; j < n; j++)
                {
                    var rkj = r[k * n + j];
                    r[k * n + j] = c * rkj + s * a[j];
                    a[j] = c * a[j] - s * rkj;
                }
                var zk = z[k];
                z[k] = c * zk + s * b;
                b = c * b - s * zk;
            }
        }

        if (!FullRank(r, n, rows.Length))
            return null;
        // Back-substitution R·β = z, then undo the scaling.
        var beta = new double[n];
        for (var k = n - 1; k >= 0; k--)
        {
            var sum = z[k];
            for (var j = k + 1; j < n; j++)
                sum -= r[k * n + j] * beta[j];
            beta[k] = sum / r[k * n + k];
        }
        for (var j = 0; j < n; j++)
            beta[j] /= scale[j];
        return beta;
    }

    /// <summary>Rank by R's singular values, with the usual tolerance: the largest times the larger dimension times machine epsilon.</summary>
    private static bool FullRank(double[] r, int n, int rowCount)
    {
        var matrix = Matrix<double>.Build.Dense(n, n, (i, j) => j >= i ? r[i * n + j] : 0);
        var singular = matrix.Svd(computeVectors: false).S;
        var largest = singular.AbsoluteMaximum();
        var tolerance = largest * Math.Max(rowCount, n) * Math.Pow(2, -52);
        return largest > 0 && singular.All(s => s > tolerance);
    }
}
