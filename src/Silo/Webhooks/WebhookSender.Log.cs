namespace Aviary.Silo.Webhooks;

public sealed partial class WebhookSender
{
    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "Webhook {Hook}: delivery {DeliveryId} could not be reported; it stays in the outbox")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, string hook, string deliveryId);
}
