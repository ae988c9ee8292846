using System.Globalization;
using System.Text.Json;
using Aviary.Agents.Data;

namespace Aviary.Agents.Models;

/// <summary>
/// The columns a dataset must have and what each may hold. Learned from a reference dataset
/// (<see cref="Learn"/>) or written by hand as JSON (<see cref="Parse"/>); checked with
/// <see cref="SchemaCheck"/>.
/// </summary>
public sealed record DatasetSchema
{
    /// <summary>Most distinct values a learned column may have and still be a category.</summary>
    public const int MaxCategories = 50;

    /// <summary>The share of rows a learned range lets fall outside it: 2 %.</summary>
    public const double LearnedOutOfRange = 0.02;

    public SchemaColumn[] Columns { get; init; } = [];

    /// <summary>
    /// The schema a reference dataset satisfies: numbers with their observed range (of which
    /// <see cref="LearnedOutOfRange"/> of the rows may fall outside), columns with at
    /// most <see cref="MaxCategories"/> distinct text values as categories (any other text as
    /// text), and the observed missing share rounded up a little, so that another sample of the
    /// same source passes.
    /// </summary>
    public static DatasetSchema Learn(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var columns = new SchemaColumn[data.Columns.Count];
        for (var c = 0; c < columns.Length; c++)
            columns[c] = LearnColumn(data, c);
        return new DatasetSchema { Columns = columns };
    }

    private static SchemaColumn LearnColumn(Dataset data, int c)
    {
        int missing = 0, present = 0;
        var numeric = true;
        var integer = true;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in data.Rows)
        {
            var cell = c < row.Length ? row[c] : null;
            if (cell is null)
            {
                missing++;
                continue;
            }
            present++;
            if (distinct.Count <= MaxCategories)
                distinct.Add(cell);
            if (numeric && Explorer.TryNumber(cell, out var value))
            {
                min = Math.Min(min, value);
                max = Math.Max(max, value);
                integer = integer && long.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
            }
            else
            {
                numeric = false;
            }
        }
        var share = data.Rows.Count == 0 ? 0 : (double)missing / data.Rows.Count;
        var column = new SchemaColumn { Name = data.Columns[c], MaxMissing = RoundUpMissing(share) };
        if (present > 0 && numeric)
            return column with { Type = integer ? ColumnTypes.Integer : ColumnTypes.Number, Min = min, Max = max, MaxOutOfRange = LearnedOutOfRange };
        if (present > 0 && distinct.Count <= MaxCategories)
            return column with { Type = ColumnTypes.Category, Categories = [.. distinct.Order(StringComparer.Ordinal)] };
        return column with { Type = ColumnTypes.Text };
    }

    /// <summary>An observed missing share with room for sampling noise: half again plus a point, up to the next 0.1 %, capped at 1 (0 stays 0).</summary>
    public static double RoundUpMissing(double share) =>
        share <= 0 ? 0 : Math.Min(1, Math.Ceiling(Math.Round((share * 1.5 + 0.01) * 1000, 6)) / 1000);

    /// <summary>Reads a schema from JSON (web defaults: camelCase) and checks it, naming the first bad field.</summary>
    public static DatasetSchema Parse(string json)
    {
        DatasetSchema? schema;
        try
        {
            schema = JsonSerializer.Deserialize<DatasetSchema>(json, DatasetFile.JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"the schema is not valid JSON of the schema's shape: {ex.Message}", nameof(json), ex);
        }
        if (schema is null)
            throw new ArgumentException("the schema must be an object with columns", nameof(json));
        schema.Validate();
        return schema;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first field that breaks a rule.</summary>
    public void Validate()
    {
        if (Columns is null || Columns.Length == 0)
            throw new ArgumentException("columns must list at least one column");
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Columns.Length; i++)
        {
            var c = Columns[i] ?? throw new ArgumentException($"columns[{i}] must be an object");
            var at = $"columns[{i}]";
            if (string.IsNullOrWhiteSpace(c.Name))
                throw new ArgumentException($"{at}.name must not be empty");
            if (!names.Add(c.Name))
                throw new ArgumentException($"{at}.name '{c.Name}' repeats an earlier column");
            if (!ColumnTypes.All.Contains(c.Type))
                throw new ArgumentException($"{at}.type must be one of {string.Join(", ", ColumnTypes.All)} (got '{c.Type}')");
            if (c.MaxMissing is < 0 or > 1 || double.IsNaN(c.MaxMissing))
                throw new ArgumentException($"{at}.maxMissing must be between 0 and 1");
            if (c.MaxOutOfRange is < 0 or > 1 || double.IsNaN(c.MaxOutOfRange))
                throw new ArgumentException($"{at}.maxOutOfRange must be between 0 and 1");
            if ((c.Min is not null || c.Max is not null) && !ColumnTypes.IsNumeric(c.Type))
                throw new ArgumentException($"{at}.min and max apply to number and integer columns only");
            if (c.Min is { } min && c.Max is { } max && min > max)
                throw new ArgumentException($"{at}.min must not be above max ({min} > {max})");
            if (c.Categories is not null && c.Type != ColumnTypes.Category)
                throw new ArgumentException($"{at}.categories apply to category columns only");
            if (c.Categories is { Length: 0 })
                throw new ArgumentException($"{at}.categories must list at least one value (or be left out)");
        }
    }
}
