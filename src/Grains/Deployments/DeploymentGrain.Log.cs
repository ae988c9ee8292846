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
}
