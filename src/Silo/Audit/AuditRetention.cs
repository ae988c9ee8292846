namespace Aviary.Silo.Audit;

/// <summary>Deletes audit entries older than the retention, at start and every hour.</summary>
public sealed partial class AuditRetention(AuditStore store, AuditOptions options, TimeProvider time, ILogger<AuditRetention> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            try
            {
                var pruned = await store.PruneAsync(time.GetUtcNow() - options.Retention, stoppingToken);
                if (pruned > 0)
                    LogPruned(logger, pruned, options.Retention);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPruneFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "Audit: {Count} entries older than {Retention} deleted")]
    private static partial void LogPruned(ILogger logger, int count, TimeSpan retention);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Audit: old entries could not be deleted; trying again within the hour")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
