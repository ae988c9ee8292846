using Microsoft.Extensions.Logging;

namespace Aviary.Grains.Webhooks;

public sealed partial class WebhookGrain
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Webhook {Hook} dropped {Event} ({DeliveryId}): its outbox is full")]
    private static partial void LogOverflow(ILogger logger, string hook, string @event, string deliveryId);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Webhook {Hook} gave up on {Event} ({DeliveryId}) after {Attempts} attempt(s): status {StatusCode}, {Error}")]
    private static partial void LogGaveUp(ILogger logger, string hook, string @event, string deliveryId, int attempts, int? statusCode, string? error);
}
