namespace Aviary.Agents.Models;

/// <summary>
/// What one column of a dataset must look like: its <see cref="Type"/> (<c>number</c>,
/// <c>integer</c>, <c>category</c> or <c>text</c>), for numbers an allowed range, for categories
/// the allowed values, and the share of rows that may leave it empty.
/// </summary>
public sealed record SchemaColumn
{
    public string Name { get; init; } = "";

    /// <summary><c>number</c>, <c>integer</c>, <c>category</c> or <c>text</c>.</summary>
    public string Type { get; init; } = ColumnTypes.Number;

    public double? Min { get; init; }

    public double? Max { get; init; }

    /// <summary>The values a category column may hold; none means any.</summary>
    public string[]? Categories { get; init; }

    /// <summary>Share of rows (0..1) that may be missing. Default 0.</summary>
    public double MaxMissing { get; init; }

    /// <summary>
    /// Share of rows (0..1) whose number may fall outside [min, max]. Default 0; a learned range
    /// allows <see cref="DatasetSchema.LearnedOutOfRange"/>, since a new sample of the same source
    /// reaches past the old one's extremes now and then.
    /// </summary>
    public double MaxOutOfRange { get; init; }
}

/// <summary>The column types a <see cref="DatasetSchema"/> knows.</summary>
public static class ColumnTypes
{
    public const string Number = "number";
    public const string Integer = "integer";
    public const string Category = "category";
    public const string Text = "text";

    public static readonly string[] All = [Number, Integer, Category, Text];

    public static bool IsNumeric(string type) => type is Number or Integer;
}
