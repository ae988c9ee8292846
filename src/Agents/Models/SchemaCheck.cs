using System.Globalization;
using Aviary.Agents.Data;

namespace Aviary.Agents.Models;

/// <summary>Checks a dataset against a <see cref="DatasetSchema"/>, column by column, in one pass over each column.</summary>
public static class SchemaCheck
{
    /// <summary>Examples of unknown categories named in a message.</summary>
    private const int MaxExamples = 5;

    public static IReadOnlyList<SchemaViolation> Check(Dataset data, DatasetSchema schema)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(schema);
        var violations = new List<SchemaViolation>();
        foreach (var column in schema.Columns)
        {
            var c = data.ColumnIndex(column.Name);
            if (c < 0)
                violations.Add(new SchemaViolation(column.Name, "missing-column", 0, $"column '{column.Name}' is missing"));
            else
                CheckColumn(data, c, column, violations);
        }
        return violations;
    }

    private static void CheckColumn(Dataset data, int c, SchemaColumn column, List<SchemaViolation> violations)
    {
        int missing = 0, wrongType = 0, below = 0, above = 0, unknown = 0;
        var allowed = column.Categories is { } categories ? new HashSet<string>(categories, StringComparer.Ordinal) : null;
        var examples = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var row in data.Rows)
        {
            var cell = c < row.Length ? row[c] : null;
            if (cell is null)
            {
                missing++;
                continue;
            }
            if (ColumnTypes.IsNumeric(column.Type))
            {
                if (!Explorer.TryNumber(cell, out var value)
                    || (column.Type == ColumnTypes.Integer && !long.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
                {
                    wrongType++;
                    continue;
                }
                if (value < column.Min)
                    below++;
                else if (value > column.Max)
                    above++;
            }
            else if (allowed is not null && !allowed.Contains(cell))
            {
                unknown++;
                if (examples.Count < MaxExamples)
                    examples.Add(cell);
            }
        }
        var name = column.Name;
        if (wrongType > 0)
            violations.Add(new SchemaViolation(name, "type", wrongType, $"column '{name}': {wrongType} value(s) are not of type {column.Type}"));
        var outside = below + above;
        if (outside > 0 && (double)outside / data.Rows.Count > column.MaxOutOfRange)
        {
            var tolerance = column.MaxOutOfRange > 0 ? string.Create(CultureInfo.InvariantCulture, $", more than the {column.MaxOutOfRange:P1} allowed") : "";
            violations.Add(new SchemaViolation(name, "range", outside,
                string.Create(CultureInfo.InvariantCulture, $"column '{name}': {outside} value(s) outside [{column.Min?.ToString(CultureInfo.InvariantCulture) ?? "-inf"}, {column.Max?.ToString(CultureInfo.InvariantCulture) ?? "inf"}] ({below} below, {above} above){tolerance}")));
        }
        if (unknown > 0)
            violations.Add(new SchemaViolation(name, "category", unknown, $"column '{name}': {unknown} value(s) not among its categories, e.g. {string.Join(", ", examples.Select(e => $"'{Truncate(e)}'"))}"));
        var share = data.Rows.Count == 0 ? 0 : (double)missing / data.Rows.Count;
        if (share > column.MaxMissing)
            violations.Add(new SchemaViolation(name, "missing-share", missing,
                string.Create(CultureInfo.InvariantCulture, $"column '{name}': {share:P1} missing, more than the {column.MaxMissing:P1} allowed")));
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
