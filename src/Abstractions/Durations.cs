using System.Globalization;
using System.Text.RegularExpressions;
using Aviary.Errors;

namespace Aviary;

/// <summary>Durations as people type them: <c>200ms</c>, <c>30s</c>, <c>5m</c>, <c>1h30m</c>; a bare number is seconds.</summary>
public static partial class Durations
{
    [GeneratedRegex(@"^(?:(?<n>\d+(?:\.\d+)?)(?<unit>ms|s|m|h|d))+\z")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"(?<n>\d+(?:\.\d+)?)(?<unit>ms|s|m|h|d)")]
    private static partial Regex Part();

    public static TimeSpan Parse(string field, string? text)
    {
        var value = text?.Trim().ToLowerInvariant() ?? "";
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (!double.IsFinite(seconds) || seconds < 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
                throw Invalid(field, text);
            return TimeSpan.FromSeconds(seconds);
        }
        if (!Pattern().IsMatch(value))
            throw Invalid(field, text);
        var total = TimeSpan.Zero;
        foreach (Match m in Part().Matches(value))
        {
            var n = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            total += m.Groups["unit"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
        }
        return total;
    }

    /// <summary>The short form <see cref="Parse"/> reads back: <c>5m</c>, <c>1m30s</c>, <c>250ms</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
            return "-" + Format(-value);
        if (value < TimeSpan.FromSeconds(1))
            return $"{value.TotalMilliseconds:0}ms";
        var parts = new List<string>();
        if (value.Days > 0) parts.Add($"{value.Days}d");
        if (value.Hours > 0) parts.Add($"{value.Hours}h");
        if (value.Minutes > 0) parts.Add($"{value.Minutes}m");
        if (value.Seconds > 0 || parts.Count == 0) parts.Add($"{value.Seconds}s");
        return string.Concat(parts);
    }

    private static AviaryValidationException Invalid(string field, string? text) =>
        new(field, $"must be a duration such as 200ms, 30s, 5m or 1h (got '{text}')");
}
