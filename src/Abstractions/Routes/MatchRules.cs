using System.Globalization;
using System.Text.RegularExpressions;
using Aviary.Errors;

namespace Aviary.Routes;

/// <summary>
/// Match rules as the console writes them, and their checks. One rule is conditions joined by
/// <c>&amp;</c>, each <c>header:NAME=VALUE</c> (exact), <c>header:NAME^=PREFIX</c> (prefix) or
/// <c>header:NAME~=REGEX</c> (regular expression); <c>cookie:</c> likewise. Several rules are OR'd.
/// </summary>
public static class MatchRules
{
    public const int MaxRules = 16;
    public const int MaxConditions = 8;
    public const int MaxValueLength = 256;

    /// <summary>The header a blue-green preview request carries, with value <c>1</c>, unless the policy names another.</summary>
    public const string DefaultPreviewHeader = "X-Aviary-Preview";

    public static MatchRule Preview(string header) => new()
    {
        Conditions = [new MatchCondition { Source = MatchSource.Header, Name = header, Operator = MatchOperator.Exact, Value = "1" }],
    };

    public static MatchRule Parse(string text, string field = "match")
    {
        var conditions = text.Split('&', StringSplitOptions.TrimEntries).Select(c => ParseCondition(c, field)).ToArray();
        return Validate([new MatchRule { Conditions = conditions }], field)[0];
    }

    private static MatchCondition ParseCondition(string text, string field)
    {
        var colon = text.IndexOf(':');
        var source = colon < 0 ? null : text[..colon] switch { "header" => MatchSource.Header, "cookie" => MatchSource.Cookie, _ => (MatchSource?)null };
        if (source is null)
            throw new AviaryValidationException(field, $"'{text}' must start with header: or cookie:");
        var rest = text[(colon + 1)..];
        foreach (var (symbol, op) in new[] { ("~=", MatchOperator.Regex), ("^=", MatchOperator.Prefix), ("=", MatchOperator.Exact) })
        {
            var at = rest.IndexOf(symbol, StringComparison.Ordinal);
            if (at > 0)
                return new MatchCondition { Source = source.Value, Name = rest[..at].Trim(), Operator = op, Value = rest[(at + symbol.Length)..] };
        }
        throw new AviaryValidationException(field, $"'{text}' must be NAME=VALUE, NAME^=PREFIX or NAME~=REGEX");
    }

    public static MatchRule[] Validate(MatchRule[]? rules, string field = "match")
    {
        if (rules is null)
            return [];
        if (rules.Length > MaxRules)
            throw new AviaryValidationException(field, $"at most {MaxRules} rules");
        foreach (var rule in rules)
        {
            var conditions = rule?.Conditions ?? [];
            if (conditions.Length is 0 or > MaxConditions)
                throw new AviaryValidationException(field, $"each rule needs 1 to {MaxConditions} conditions");
            foreach (var c in conditions)
            {
                if (c is null || !Enum.IsDefined(c.Source) || !Enum.IsDefined(c.Operator))
                    throw new AviaryValidationException(field, "each condition needs a source (header or cookie) and an operator (exact, prefix or regex)");
                if (!RouteValidator.IsName(c.Name))
                    throw new AviaryValidationException(field, $"'{c.Name}' is not a header or cookie name");
                if (c.Value.Length > MaxValueLength || c.Value.Any(char.IsControl))
                    throw new AviaryValidationException(field, $"a value must be at most {MaxValueLength} characters, without control characters");
                if (c.Operator == MatchOperator.Regex && !IsLinearRegex(c.Value, out var problem))
                    throw new AviaryValidationException(field, $"'{c.Value}' is not a regular expression the gateway can match in linear time ({problem})");
            }
        }
        return rules;
    }

    /// <summary>Compiles with .NET's non-backtracking engine, which refuses backreferences and look-arounds and never runs away.</summary>
    public static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);

    private static bool IsLinearRegex(string pattern, out string? problem)
    {
        try
        {
            _ = Compile(pattern);
            problem = null;
            return pattern.Length > 0;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            problem = ex.Message.Split('\n')[0].Trim().ToLower(CultureInfo.InvariantCulture);
            return false;
        }
    }
}
