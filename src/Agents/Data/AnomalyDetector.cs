namespace Aviary.Agents.Data;

/// <summary>A value flagged as unusual in its column, by which rule.</summary>
public sealed record Anomaly(string Column, int Row, double Value, string Rule);

/// <summary>
/// Per numeric column: z-score (|x − mean| / std above a threshold, default 3) and IQR fences
/// (below Q1 − 1.5·IQR or above Q3 + 1.5·IQR). Rows are 0-based data rows.
/// </summary>
public static class AnomalyDetector
{
    public static IReadOnlyList<Anomaly> Detect(Dataset data, double zThreshold = 3.0)
    {
        var found = new List<Anomaly>();
        for (var c = 0; c < data.Columns.Count; c++)
        {
            var values = new List<(int Row, double Value)>();
            for (var r = 0; r < data.Rows.Count; r++)
            {
                var cell = c < data.Rows[r].Length ? data.Rows[r][c] : null;
                if (cell is not null && Explorer.TryNumber(cell, out var x))
                    values.Add((r, x));
            }
            if (values.Count < 4)
                continue;
            var sorted = values.Select(v => v.Value).Order().ToList();
            var mean = sorted.Average();
            var std = Math.Sqrt(sorted.Sum(x => (x - mean) * (x - mean)) / (sorted.Count - 1));
            var q1 = Explorer.Quantile(sorted, 0.25);
            var q3 = Explorer.Quantile(sorted, 0.75);
            var iqr = q3 - q1;
            var (low, high) = (q1 - 1.5 * iqr, q3 + 1.5 * iqr);
            foreach (var (row, value) in values)
            {
                if (std > 0 && Math.Abs(value - mean) / std > zThreshold)
                    found.Add(new Anomaly(data.Columns[c], row, value, "z-score"));
                if (value < low || value > high)
                    found.Add(new Anomaly(data.Columns[c], row, value, "iqr"));
            }
        }
        return found;
    }
}
