using Microsoft.Extensions.Logging;

namespace Aviary.Grains.Webhooks;

public static partial class WebhookPublishing
{
    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Could not hand {Event} of {Subject} to the webhooks")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string subject, string @event);
}
