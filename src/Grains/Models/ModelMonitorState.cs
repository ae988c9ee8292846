using Aviary.Models;

namespace Aviary.Grains.Models;

/// <summary>
/// The least state that decides what a model's monitor does next: its phase, the retraining run
/// it waits on, the candidate and its rollout, and the last good version. Drift figures and notes
/// are shown, not stored.
/// </summary>
[GenerateSerializer, Alias("aviary.ModelMonitorState")]
public sealed record ModelMonitorState
{
    [Id(0)] public string Phase { get; init; } = ModelPhases.Watching;

    [Id(1)] public string? RetrainRun { get; init; }

    [Id(2)] public DateTimeOffset? RetrainStartedAt { get; init; }

    [Id(3)] public string? Candidate { get; init; }

    [Id(4)] public string? RolloutId { get; init; }

    [Id(5)] public string? LastGood { get; init; }

    /// <summary>Whether the last judged window had drifted: a drift event is sent when this turns true, not at every check.</summary>
    [Id(6)] public bool Drifted { get; init; }

    /// <summary>Why the running retraining was started (the drifted features), kept for the version it registers.</summary>
    [Id(7)] public string RetrainReason { get; init; } = "";
}
