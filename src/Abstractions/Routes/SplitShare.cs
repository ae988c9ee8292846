namespace Aviary.Routes;

/// <summary>One version's fixed share of a service's traffic in a split (champion/challenger, or versions served side by side).</summary>
[GenerateSerializer, Immutable, Alias("aviary.SplitShare")]
public sealed record SplitShare
{
    [Id(0)] public string Version { get; init; } = "";

    /// <summary>Percent of users (by stickiness bucket), 1–100; a split's shares add up to 100.</summary>
    [Id(1)] public int Weight { get; init; }
}
