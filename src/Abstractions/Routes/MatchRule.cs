namespace Aviary.Routes;

/// <summary>
/// Requests that match every condition of a rule go to the candidate version. A route's rules are
/// OR'd, a rule's conditions AND'd (as Flagger's and Argo's match rules are).
/// </summary>
[GenerateSerializer, Immutable, Alias("aviary.MatchRule")]
public sealed record MatchRule
{
    [Id(0)] public MatchCondition[] Conditions { get; init; } = [];
}

/// <summary>One test of a request header or cookie.</summary>
[GenerateSerializer, Immutable, Alias("aviary.MatchCondition")]
public sealed record MatchCondition
{
    [Id(0)] public MatchSource Source { get; init; }
    /// <summary>The header or cookie name (headers compare case-insensitively by name).</summary>
    [Id(1)] public string Name { get; init; } = "";
    [Id(2)] public MatchOperator Operator { get; init; }
    /// <summary>The value, prefix or regular expression (matched in linear time: no backtracking constructs).</summary>
    [Id(3)] public string Value { get; init; } = "";
}

[GenerateSerializer, Alias("aviary.MatchSource")]
public enum MatchSource
{
    Header = 0,
    Cookie = 1,
}

[GenerateSerializer, Alias("aviary.MatchOperator")]
public enum MatchOperator
{
    Exact = 0,
    Prefix = 1,
    Regex = 2,
}
