namespace Aviary.Agents.Models;

/// <summary>What a model predicts, and the labels a binary target may use.</summary>
public static class ModelTasks
{
    public const string Regression = "regression";
    public const string Binary = "binary";

    public const string PositiveLabel = "true";
    public const string NegativeLabel = "false";

    /// <summary>A binary target's cell as a class: true/false, 1/0, yes/no (any case); anything else is unreadable.</summary>
    public static bool TryBinary(string? cell, out bool value)
    {
        value = false;
        if (cell is null)
            return false;
        var text = cell.AsSpan().Trim();
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("yes", StringComparison.OrdinalIgnoreCase) || text is "1")
            return value = true;
        return text.Equals("false", StringComparison.OrdinalIgnoreCase) || text.Equals("no", StringComparison.OrdinalIgnoreCase) || text is "0";
    }
}
