using System.Globalization;

namespace Aviary.Agents.Models;

/// <summary>Reads the optional number settings of an agent's input, naming a bad one as <c>input.name</c>.</summary>
public static class AgentInputs
{
    public static double Number(IReadOnlyDictionary<string, string> input, string key, double fallback) =>
        !input.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text) ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value
        : throw new ArgumentException($"input.{key} must be a number (got '{text}')");

    public static int Integer(IReadOnlyDictionary<string, string> input, string key, int fallback) =>
        !input.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text) ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException($"input.{key} must be a whole number (got '{text}')");

    public static bool Flag(IReadOnlyDictionary<string, string> input, string key, bool fallback) =>
        !input.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text) ? fallback
        : bool.TryParse(text, out var value) ? value
        : throw new ArgumentException($"input.{key} must be true or false (got '{text}')");

    public static IReadOnlyList<string>? List(IReadOnlyDictionary<string, string> input, string key) =>
        input.TryGetValue(key, out var text) && !string.IsNullOrWhiteSpace(text)
            ? text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : null;
}
