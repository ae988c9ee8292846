using Microsoft.Extensions.Logging;

namespace Aviary.Grains.Webhooks;

public sealed partial class WebhookRegistryGrain
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Warning, Message = "Webhook {Hook} could not store {Event}")]
    private static partial void LogEnqueueFailed(ILogger logger, Exception exception, string hook, string @event);
}
