namespace Aviary.Silo.Hosting;

public static partial class WebConsole
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Warning, Message = "The web console's files are not at {Root}: / serves nothing (build the silo project to copy them)")]
    private static partial void LogNoFiles(ILogger logger, string root);
}
