namespace Aviary.Guardrails;

/// <summary>A freeze window in force: which one, and until when.</summary>
[GenerateSerializer, Immutable, Alias("aviary.ActiveFreeze")]
public sealed record ActiveFreeze
{
    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public string Reason { get; init; } = "";
    [Id(2)] public DateTimeOffset Until { get; init; }

    /// <summary>The refusal, naming the rule.</summary>
    public string Describe() =>
        $"freeze '{Name}'{(Reason.Length > 0 ? $" ({Reason})" : "")} allows no new rollout until {Until:yyyy-MM-dd HH:mm:ss}Z; an admin may override it with a reason";
}
