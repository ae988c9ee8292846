using Aviary.Models;
using Microsoft.Extensions.Logging;

namespace Aviary.Grains.Models;

public sealed partial class ModelMonitorGrain
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Model {Model}: {Kind}: {Detail}")]
    private static partial void LogAction(ILogger logger, string model, ModelEventKind kind, string detail);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Model {Model}: could not {What}: {Reason}")]
    private static partial void LogActionRefused(ILogger logger, string model, string what, string reason);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Error, Message = "Model {Model}: a monitor check failed")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string model);
}
