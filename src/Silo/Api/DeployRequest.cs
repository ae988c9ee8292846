namespace Aviary.Silo.Api;

/// <summary>
/// Body of <c>POST /api/deployments/{service}/versions/{version}</c>; every field optional,
/// defaults as in <see cref="Rollouts.RolloutPolicy"/>. Durations are TimeSpan strings ("00:05:00").
/// <c>to</c> lists the URLs the version runs at, for the gateway to route to. <c>after</c> names
/// releases (<c>service</c> or <c>service@version</c>) the rollout waits for; <c>freezeOverride</c>
/// is an admin's reason to deploy inside a freeze window.
/// </summary>
public sealed record DeployRequest(
    int[]? Stages = null,
    TimeSpan? Bake = null,
    TimeSpan? Interval = null,
    double? MaxErrorRate = null,
    TimeSpan? MaxP95 = null,
    int? MinSamples = null,
    int? FailureLimit = null,
    int? InconclusiveLimit = null,
    int[]? Gates = null,
    string[]? To = null,
    Rollouts.Analysis? Analysis = null,
    double? Confidence = null,
    double? Tolerance = null,
    bool? DryRun = null,
    Rollouts.Strategy? Strategy = null,
    Routes.MatchRule[]? Rules = null,
    int? Iterations = null,
    bool? AutoPromote = null,
    TimeSpan? SwitchBackWindow = null,
    string? PreviewHeader = null,
    int? MirrorPercent = null,
    bool? MirrorAllMethods = null,
    double? MaxMismatchRate = null,
    string[]? After = null,
    string? FreezeOverride = null);
