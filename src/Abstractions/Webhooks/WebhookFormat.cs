namespace Aviary.Webhooks;

/// <summary>The body a webhook gets: Aviary's own JSON payload, or a chat app's incoming-webhook message.</summary>
[GenerateSerializer, Alias("aviary.WebhookFormat")]
public enum WebhookFormat
{
    /// <summary>The payload itself (<see cref="WebhookNotice"/> as JSON).</summary>
    Json = 0,
    /// <summary>Slack incoming-webhook JSON: <c>text</c> and <c>blocks</c>.</summary>
    Slack = 1,
    /// <summary>Microsoft Teams incoming-webhook JSON: a message with an Adaptive Card attachment.</summary>
    Teams = 2,
}
