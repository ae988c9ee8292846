using Aviary.Agents.Data;
using Aviary.Models;

namespace Aviary.Agents.Models;

/// <summary>
/// Builds the <see cref="ReferenceProfile"/> live inputs are compared with: a numeric feature gets
/// up to ten bins cut at its deciles (equal edges merged, and none at the minimum, where a bin
/// would hold nothing), a category feature a bin for each of its <see cref="MaxCategories"/> most
/// frequent values and one for any other.
/// </summary>
public static class ReferenceProfiles
{
    public const int MaxCategories = 50;

    /// <summary>Features by name, each numeric when every present cell is a number, else a category.</summary>
    public static ReferenceProfile Build(Dataset data, IReadOnlyList<string> features, IReadOnlyList<int>? rows = null) =>
        Build(data, [.. features.Select(f => (f, InferKind(data, Column(data, f))))], rows);

    /// <summary>Features with their kinds (<see cref="FeatureKinds"/>), over all rows or the given ones.</summary>
    public static ReferenceProfile Build(Dataset data, IReadOnlyList<(string Name, string Kind)> features, IReadOnlyList<int>? rows = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(features);
        var count = rows?.Count ?? data.Rows.Count;
        var references = new FeatureReference[features.Count];
        for (var f = 0; f < features.Count; f++)
        {
            var (name, kind) = features[f];
            var c = Column(data, name);
            references[f] = kind switch
            {
                FeatureKinds.Numeric => Numeric(name, Cells(data, c, rows, count)),
                FeatureKinds.Category => Category(name, Cells(data, c, rows, count)),
                _ => throw new ArgumentException($"feature '{name}': kind must be {FeatureKinds.Numeric} or {FeatureKinds.Category} (got '{kind}')"),
            };
        }
        return new ReferenceProfile { Features = references, Rows = count };
    }

    /// <summary>Bins at the deciles of the values that are numbers (the rest are missing).</summary>
    public static FeatureReference Numeric(string name, IEnumerable<string?> cells)
    {
        var values = new List<double>();
        foreach (var cell in cells)
        {
            if (cell is not null && Explorer.TryNumber(cell, out var value))
                values.Add(value);
        }
        return Numeric(name, values);
    }

    public static FeatureReference Numeric(string name, List<double> values)
    {
        values.Sort();
        var edges = new List<double>(9);
        if (values.Count > 0)
        {
            for (var d = 1; d <= 9; d++)
            {
                var edge = Explorer.Quantile(values, d / 10.0);
                if (edge > values[0] && (edges.Count == 0 || edge > edges[^1]))
                    edges.Add(edge);
            }
        }
        var reference = new FeatureReference { Name = name, Kind = FeatureKinds.Numeric, Edges = [.. edges], Count = values.Count };
        var counts = new long[reference.Bins];
        foreach (var value in values)
            counts[FeatureBinning.Bin(reference, value)]++;
        return reference with { Proportions = Proportions(counts, values.Count) };
    }

    /// <summary>A bin for each of the most frequent values (by count, then name), and one for the others.</summary>
    public static FeatureReference Category(string name, IEnumerable<string?> cells)
    {
        var frequencies = new Dictionary<string, long>(StringComparer.Ordinal);
        long present = 0;
        foreach (var cell in cells)
        {
            if (cell is null)
                continue;
            present++;
            frequencies[cell] = frequencies.GetValueOrDefault(cell) + 1;
        }
        var top = frequencies.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(MaxCategories).ToList();
        var counts = new long[top.Count + 1];
        for (var i = 0; i < top.Count; i++)
            counts[i] = top[i].Value;
        counts[^1] = present - top.Sum(p => p.Value);
        return new FeatureReference
        {
            Name = name,
            Kind = FeatureKinds.Category,
            Categories = [.. top.Select(p => p.Key)],
            Proportions = Proportions(counts, present),
            Count = present,
        };
    }

    /// <summary>Numeric when at least one cell is present and every present cell is a number.</summary>
    public static string InferKind(Dataset data, int column)
    {
        var present = false;
        foreach (var row in data.Rows)
        {
            var cell = column < row.Length ? row[column] : null;
            if (cell is null)
                continue;
            if (!Explorer.TryNumber(cell, out _))
                return FeatureKinds.Category;
            present = true;
        }
        return present ? FeatureKinds.Numeric : FeatureKinds.Category;
    }

    private static double[] Proportions(long[] counts, long total) =>
        [.. counts.Select(c => total == 0 ? 0 : (double)c / total)];

    private static int Column(Dataset data, string name) =>
        data.ColumnIndex(name) is var c and >= 0 ? c : throw new ArgumentException($"feature '{name}': no such column");

    private static IEnumerable<string?> Cells(Dataset data, int column, IReadOnlyList<int>? rows, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var row = data.Rows[rows?[i] ?? i];
            yield return column < row.Length ? row[column] : null;
        }
    }
}
