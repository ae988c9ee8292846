namespace Aviary.Agents.Data;

/// <summary>
/// One column as the explorer sees it. Numeric figures are over the values that parse as numbers
/// (all of them for <c>integer</c>/<c>number</c>, some for <c>mixed</c>).
/// </summary>
public sealed record ColumnProfile
{
    public string Name { get; init; } = "";
    /// <summary>integer, number, boolean, date, text, mixed (numbers and text), or empty.</summary>
    public string Type { get; init; } = "";
    public int Count { get; init; }
    public int Missing { get; init; }
    public int Distinct { get; init; }
    /// <summary>Values that are not numbers in a mixed column.</summary>
    public int NonNumeric { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public double? Mean { get; init; }
    /// <summary>Sample standard deviation (n − 1).</summary>
    public double? Std { get; init; }
    public double? P25 { get; init; }
    public double? Median { get; init; }
    public double? P75 { get; init; }
}
