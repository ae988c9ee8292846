using Microsoft.Extensions.Logging;

namespace Aviary.Grains.Deployments;

public sealed partial class DeploymentGrain
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Service {Service}: {Version} is stable")]
    private static partial void LogStable(ILogger logger, string service, string version);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Service {Service}: undo restored {Version}")]
    private static partial void LogUndone(ILogger logger, string service, string version);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "Service {Service} (rollout {RolloutId}): stable {StableVersion}, canary {CanaryVersion} at {CanaryWeight} %")]
    private static partial void LogSplit(ILogger logger, string service, string rolloutId, string stableVersion, string? canaryVersion, int canaryWeight);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Service {Service}: routed by hosts [{Hosts}] and path prefix '{PathPrefix}'")]
    private static partial void LogConfigured(ILogger logger, string service, string hosts, string pathPrefix);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Service {Service} removed")]
    private static partial void LogRemoved(ILogger logger, string service);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Service {Service}: route revision {Revision} is stored but could not be published; gateways reconcile it")]
    private static partial void LogRoutePublishFailed(ILogger logger, Exception exception, string service, long revision);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Service {Service}: switch-back window over, the switched-out version is released")]
    private static partial void LogReleased(ILogger logger, string service);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "Service {Service}: split set to [{Split}]")]
    private static partial void LogSplitSet(ILogger logger, string service, string split);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Service {Service}: rollout {RolloutId} queued at {Position}: {Waiting}")]
    private static partial void LogQueued(ILogger logger, string service, string rolloutId, int position, string waiting);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "Service {Service}: queued rollout {RolloutId} cancelled: {Reason}")]
    private static partial void LogCancelled(ILogger logger, string service, string rolloutId, string reason);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "Service {Service}: queued rollout {RolloutId} did not start")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string service, string rolloutId);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Service {Service}: the release guard did not hear that {RolloutId} ended; its reconcile will ask")]
    private static partial void LogGuardNotTold(ILogger logger, Exception exception, string service, string? rolloutId);
}
