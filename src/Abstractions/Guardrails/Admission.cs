namespace Aviary.Guardrails;

/// <summary>The guard's answer to a <see cref="ReleaseRequest"/>: start now, or wait in the queue (and why).</summary>
[GenerateSerializer, Immutable, Alias("aviary.Admission")]
public sealed record Admission
{
    [Id(0)] public bool Start { get; init; }
    /// <summary>Place in the queue, from 1; 0 when started.</summary>
    [Id(1)] public int Position { get; init; }
    /// <summary>What the queued rollout waits for.</summary>
    [Id(2)] public string Waiting { get; init; } = "";
    /// <summary>Approvers the rollout needs before leaving its first stage.</summary>
    [Id(3)] public int RequiredApprovals { get; init; }
}
