using Microsoft.Extensions.Logging;

namespace Aviary.Grains.Rollouts;

public sealed partial class RolloutGrain
{
    [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "Rollout {RolloutId} could not hand {Event} to its webhooks")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception, string rolloutId, string @event);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Warning, Message = "Rollout {RolloutId} could not ask its {Event} hooks")]
    private static partial void LogGateFailed(ILogger logger, Exception exception, string rolloutId, string @event);
}
