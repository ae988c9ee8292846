using Microsoft.Extensions.Logging;

namespace Aviary.Grains.Guardrails;

public sealed partial class ReleaseGuardGrain
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Information, Message = "Guardrails set: {Freezes} freeze window(s), at most {MaxActive} active rollouts (0: no limit), {Groups} group(s), {Approvals} approval rule(s)")]
    private static partial void LogPolicySet(ILogger logger, int freezes, int maxActive, int groups, int approvals);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Rollout {RolloutId} of {Service} admitted (freeze override: {FreezeOverride})")]
    private static partial void LogAdmitted(ILogger logger, string rolloutId, string service, string? freezeOverride);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "Rollout {RolloutId} of {Service} queued at {Position}: {Waiting}")]
    private static partial void LogQueued(ILogger logger, string rolloutId, string service, int position, string waiting);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Information, Message = "Queued rollout {RolloutId} of {Service} takes its slot")]
    private static partial void LogStarting(ILogger logger, string rolloutId, string service);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Warning, Message = "Queued rollout {RolloutId} of {Service} cancelled: {Reason}")]
    private static partial void LogCancelled(ILogger logger, string rolloutId, string service, string reason);
}
