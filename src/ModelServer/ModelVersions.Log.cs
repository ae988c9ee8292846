namespace Aviary.ModelServer;

public sealed partial class ModelVersions
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Model {Model} version {Version} loaded ({Task}, {Algorithm})")]
    private static partial void LogLoaded(ILogger logger, string model, string version, string task, string algorithm);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Model {Model} version {Version} cannot be served: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string model, string version, string reason);
}
