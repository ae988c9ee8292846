namespace Aviary.Webhooks;

/// <summary>What an approval link approves, and whether it still can.</summary>
[GenerateSerializer, Immutable, Alias("aviary.ApprovalView")]
public sealed record ApprovalView
{
    [Id(0)] public string Service { get; init; } = "";
    [Id(1)] public string RolloutId { get; init; } = "";
    [Id(2)] public string Version { get; init; } = "";
    /// <summary>The stage the rollout waits at; approving moves it to the next.</summary>
    [Id(3)] public int StageIndex { get; init; }
    /// <summary>The weight approving moves the canary to.</summary>
    [Id(4)] public int NextWeight { get; init; }
    [Id(5)] public DateTimeOffset ExpiresAt { get; init; }
    [Id(6)] public DateTimeOffset? UsedAt { get; init; }
    [Id(7)] public string? UsedBy { get; init; }
    [Id(8)] public DateTimeOffset Now { get; init; }

    /// <summary><c>pending</c>, <c>used</c> or <c>expired</c>.</summary>
    public string State => UsedAt is not null ? "used" : Now >= ExpiresAt ? "expired" : "pending";
}
