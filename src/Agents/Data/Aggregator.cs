namespace Aviary.Agents.Data;

/// <summary>One group of a group-by: its key and count, and sum/mean/min/max of the value column's numbers.</summary>
public sealed record GroupRow(string Key, int Count, int Numbers, double Sum, double? Mean, double? Min, double? Max);

/// <summary>Group-by with count/sum/mean/min/max. Rows with a missing key are grouped under "(missing)".</summary>
public static class Aggregator
{
    public const string MissingKey = "(missing)";

    public static IReadOnlyList<GroupRow> GroupBy(Dataset data, string keyColumn, string valueColumn)
    {
        var k = data.ColumnIndex(keyColumn);
        var v = data.ColumnIndex(valueColumn);
        if (k < 0)
            throw new ArgumentException($"no column '{keyColumn}'", nameof(keyColumn));
        if (v < 0)
            throw new ArgumentException($"no column '{valueColumn}'", nameof(valueColumn));
        return data.Rows
            .GroupBy(r => r[k] ?? MissingKey, StringComparer.Ordinal)
            .Select(g =>
            {
                var numbers = Explorer.Numbers(g.Select(r => r[v]));
                return new GroupRow(g.Key, g.Count(), numbers.Count, numbers.Sum(),
                    numbers.Count == 0 ? null : numbers.Average(),
                    numbers.Count == 0 ? null : numbers.Min(),
                    numbers.Count == 0 ? null : numbers.Max());
            })
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
    }
}
