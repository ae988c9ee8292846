using System.Globalization;

namespace Aviary.Agents.Data;

/// <summary>Profiles every column of a dataset: inferred type, missing and distinct values, and numeric statistics.</summary>
public static class Explorer
{
    public static IReadOnlyList<ColumnProfile> Profile(Dataset data) =>
        data.Columns.Select((name, i) => ProfileColumn(name, data.Rows.Select(r => i < r.Length ? r[i] : null).ToList())).ToList();

    public static ColumnProfile ProfileColumn(string name, IReadOnlyList<string?> cells)
    {
        var present = cells.Where(c => c is not null).Select(c => c!).ToList();
        var numbers = Numbers(present);
        var type = present.Count == 0 ? "empty"
            : numbers.Count == present.Count ? (present.All(v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)) ? "integer" : "number")
            : numbers.Count > 0 ? "mixed"
            : present.All(v => bool.TryParse(v, out _)) ? "boolean"
            : present.All(v => DateTime.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _)) ? "date"
            : "text";
        var profile = new ColumnProfile
        {
            Name = name,
            Type = type,
            Count = cells.Count,
            Missing = cells.Count - present.Count,
            Distinct = present.Distinct(StringComparer.Ordinal).Count(),
            NonNumeric = type == "mixed" ? present.Count - numbers.Count : 0,
        };
        if (numbers.Count == 0)
            return profile;

        numbers.Sort();
        var mean = numbers.Average();
        var std = numbers.Count > 1 ? Math.Sqrt(numbers.Sum(x => (x - mean) * (x - mean)) / (numbers.Count - 1)) : 0;
        return profile with
        {
            Min = numbers[0],
            Max = numbers[^1],
            Mean = mean,
            Std = std,
            P25 = Quantile(numbers, 0.25),
            Median = Quantile(numbers, 0.50),
            P75 = Quantile(numbers, 0.75),
        };
    }

    /// <summary>Linear interpolation between closest ranks (numpy's default) over sorted values.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }

    /// <summary>The cells that are numbers, parsed; missing and text cells are left out.</summary>
    public static List<double> Numbers(IEnumerable<string?> cells)
    {
        var numbers = new List<double>();
        foreach (var cell in cells)
        {
            if (cell is not null && TryNumber(cell, out var number))
                numbers.Add(number);
        }
        return numbers;
    }

    public static bool TryNumber(string value, out double number) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
}
