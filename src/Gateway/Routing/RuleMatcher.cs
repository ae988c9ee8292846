using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Aviary.Routes;

namespace Aviary.Gateway.Routing;

/// <summary>
/// Whether a request matches a route's rules: any rule whose every condition holds. Regular
/// expressions are compiled once (non-backtracking: linear in the value's length) and kept.
/// </summary>
public static class RuleMatcher
{
    private const int MaxCompiled = 4096;
    private static readonly ConcurrentDictionary<string, Regex> Compiled = new(StringComparer.Ordinal);

    public static bool Matches<TFacts>(MatchRule[] rules, in TFacts facts) where TFacts : IRequestFacts
    {
        foreach (var rule in rules)
        {
            var all = rule.Conditions.Length > 0;
            foreach (var condition in rule.Conditions)
            {
                if (!Holds(condition, facts))
                {
                    all = false;
                    break;
                }
            }
            if (all)
                return true;
        }
        return false;
    }

    private static bool Holds<TFacts>(MatchCondition condition, in TFacts facts) where TFacts : IRequestFacts
    {
        var value = condition.Source == MatchSource.Header ? facts.Header(condition.Name) : facts.Cookie(condition.Name);
        if (value is null)
            return false;
        return condition.Operator switch
        {
            MatchOperator.Exact => string.Equals(value, condition.Value, StringComparison.Ordinal),
            MatchOperator.Prefix => value.StartsWith(condition.Value, StringComparison.Ordinal),
            _ => Regex(condition.Value).IsMatch(value),
        };
    }

    private static Regex Regex(string pattern)
    {
        if (Compiled.TryGetValue(pattern, out var regex))
            return regex;
        if (Compiled.Count >= MaxCompiled)
            Compiled.Clear(); // patterns come from route configuration: only churn ever fills this
        return Compiled.GetOrAdd(pattern, MatchRules.Compile);
    }
}
