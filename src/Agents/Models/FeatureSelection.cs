using Aviary.Agents.Data;
using Aviary.Models;

namespace Aviary.Agents.Models;

/// <summary>Which columns a model learns from, and each one's kind.</summary>
public static class FeatureSelection
{
    /// <summary>
    /// The named columns (each must exist and not be the target), numeric when every present cell
    /// is a number, else categories; or, with none named, every other column that is numeric or a
    /// category (at most <see cref="DatasetSchema.MaxCategories"/> distinct values).
    /// </summary>
    public static (string Name, string Kind)[] Select(Dataset data, string target, IReadOnlyList<string>? names)
    {
        if (names is not null)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            return [.. names.Select(name =>
            {
                var c = data.ColumnIndex(name);
                if (c < 0)
                    throw new ArgumentException($"input.features: no column '{name}' (columns: {string.Join(", ", data.Columns)})");
                if (string.Equals(name, target, StringComparison.OrdinalIgnoreCase))
                    throw new ArgumentException($"input.features: '{name}' is the target");
                if (!seen.Add(name))
                    throw new ArgumentException($"input.features: '{name}' is named twice");
                return (data.Columns[c], ReferenceProfiles.InferKind(data, c));
            })];
        }
        var selected = new List<(string, string)>();
        for (var c = 0; c < data.Columns.Count; c++)
        {
            if (string.Equals(data.Columns[c], target, StringComparison.OrdinalIgnoreCase))
                continue;
            var kind = ReferenceProfiles.InferKind(data, c);
            if (kind == FeatureKinds.Numeric || IsCategory(data, c))
                selected.Add((data.Columns[c], kind));
        }
        if (selected.Count == 0)
            throw new ArgumentException("input.features: no numeric or category column to learn from besides the target");
        return [.. selected];
    }

    private static bool IsCategory(Dataset data, int column)
    {
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in data.Rows)
        {
            if (column < row.Length && row[column] is { } cell && distinct.Add(cell) && distinct.Count > DatasetSchema.MaxCategories)
                return false;
        }
        return distinct.Count > 0;
    }
}
