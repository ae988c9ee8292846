using Aviary.Workflows;
using Microsoft.Extensions.Logging;

namespace Aviary.Grains.Agents;

public sealed partial class AgentPoolGrain
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Agent pool {Agent}: circuit breaker {Breaker} ({Queued} queued)")]
    private static partial void LogBreaker(ILogger logger, string agent, BreakerState breaker, int queued);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Agent pool {Agent}: scaled from {From} to {To} workers ({Queued} queued)")]
    private static partial void LogScaled(ILogger logger, string agent, int from, int to, int queued);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Agent pool {Agent}: could not store its totals; trying again shortly")]
    private static partial void LogTotalsWriteFailed(ILogger logger, Exception exception, string agent);
}
