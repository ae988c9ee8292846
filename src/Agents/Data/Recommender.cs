using System.Globalization;

namespace Aviary.Agents.Data;

/// <summary>One actionable finding, with how much it matters.</summary>
public sealed record Finding(string Severity, string Subject, string Text);

/// <summary>Turns the other agents' results into findings someone can act on.</summary>
public static class Recommender
{
    public static IReadOnlyList<Finding> Recommend(
        IReadOnlyList<ColumnProfile> profiles,
        int rows,
        int duplicateRows,
        IReadOnlyList<Anomaly>? anomalies = null,
        Prediction? prediction = null)
    {
        var findings = new List<Finding>();
        if (rows == 0)
            findings.Add(new("high", "dataset", "the dataset has no rows: check the export"));
        if (duplicateRows > 0)
            findings.Add(new(duplicateRows * 100 >= rows ? "medium" : "low", "dataset",
                $"{duplicateRows} duplicate row(s) ({Percent(duplicateRows, rows)}): deduplicate before aggregating"));
        foreach (var p in profiles)
        {
            if (p.Count > 0 && p.Missing * 10 >= p.Count)
                findings.Add(new("high", p.Name, $"{Percent(p.Missing, p.Count)} missing: impute or drop before modelling"));
            else if (p.Missing > 0)
                findings.Add(new("low", p.Name, $"{p.Missing} missing value(s) ({Percent(p.Missing, p.Count)})"));
            if (p.Type == "mixed")
                findings.Add(new("medium", p.Name, $"{p.NonNumeric} value(s) are not numbers in a numeric column: fix the source format"));
            if (p.Type is "integer" or "number" && p.Distinct == 1)
                findings.Add(new("low", p.Name, "a single value throughout: the column carries no information"));
        }
        foreach (var column in (anomalies ?? []).GroupBy(a => a.Column))
        {
            var rowsFlagged = column.Select(a => a.Row).Distinct().Count();
            findings.Add(new(rowsFlagged * 100 >= Math.Max(rows, 1) ? "medium" : "low", column.Key,
                $"{rowsFlagged} outlying value(s), up to {column.Max(a => a.Value).ToString("0.##", CultureInfo.InvariantCulture)}: check them before trusting means"));
        }
        if (prediction is not null)
        {
            var r2 = prediction.R2.ToString("0.00", CultureInfo.InvariantCulture);
            findings.Add(prediction.R2 < 0.5
                ? new("medium", prediction.Target, $"the linear model explains little (R² {r2}): try other features or a non-linear model")
                : new("low", prediction.Target, $"the linear model predicts it well (R² {r2}, MAE {prediction.Mae.ToString("0.##", CultureInfo.InvariantCulture)})"));
        }
        return findings.OrderBy(f => f.Severity switch { "high" => 0, "medium" => 1, _ => 2 }).ToList();
    }

    private static string Percent(int part, int whole) =>
        whole == 0 ? "0 %" : (100.0 * part / whole).ToString("0.#", CultureInfo.InvariantCulture) + " %";
}
