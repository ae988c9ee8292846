using Aviary.Rollouts;
using Microsoft.Extensions.Logging;

namespace Aviary.Grains.Rollouts;

public sealed partial class RolloutGrain
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information,
        Message = "Rollout {RolloutId} of {Service} {Version} started at {Weight} %")]
    private static partial void LogStarted(ILogger logger, string rolloutId, string service, string version, int weight);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information,
        Message = "Rollout {RolloutId} of {Service}: {Kind} at stage {StageIndex} ({Weight} %): {Detail}")]
    private static partial void LogTransition(ILogger logger, string rolloutId, string service, RolloutEventKind kind, int stageIndex, int weight, string detail);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "Rollout {RolloutId} could not update deployment {Service}; will retry")]
    private static partial void LogDeploymentSyncFailed(ILogger logger, Exception exception, string rolloutId, string service);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning,
        Message = "Rollout {RolloutId} could not publish {Kind}")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string rolloutId, RolloutEventKind kind);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug,
        Message = "Rollout {RolloutId} shed {Kind}: the event stream's queue is full")]
    private static partial void LogPublishShed(ILogger logger, string rolloutId, RolloutEventKind kind);
}
