namespace Aviary.ModelServer;

public sealed partial class ObservationSender
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Observations of model {Model} cannot reach the Aviary API; failed batches are dropped and counted")]
    private static partial void LogSendFailing(ILogger logger, string model);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Observations of model {Model} reach the Aviary API again")]
    private static partial void LogSendRecovered(ILogger logger, string model);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "The Aviary API refused the observations of model {Model} version {Version} with status {Status}")]
    private static partial void LogRefused(ILogger logger, string model, string version, int status);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Debug, Message = "Observations of model {Model} version {Version} not delivered")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string model, string version);
}
