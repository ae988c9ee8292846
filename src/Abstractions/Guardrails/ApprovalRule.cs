namespace Aviary.Guardrails;

/// <summary>A service whose rollouts need <see cref="Required"/> distinct approvers, none of them the deployer, before leaving their first stage.</summary>
[GenerateSerializer, Immutable, Alias("aviary.ApprovalRule")]
public sealed record ApprovalRule
{
    public const int MaxRequired = 10;

    [Id(0)] public string Service { get; init; } = "";
    [Id(1)] public int Required { get; init; } = 2;
}
