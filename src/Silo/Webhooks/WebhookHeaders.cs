namespace Aviary.Silo.Webhooks;

/// <summary>The headers of every delivery and gating call.</summary>
public static class WebhookHeaders
{
    public const string Signature = "X-Aviary-Signature";
    public const string Event = "X-Aviary-Event";
    /// <summary>The delivery's id, the same on every attempt: receivers de-duplicate by it.</summary>
    public const string Delivery = "X-Aviary-Delivery";
    /// <summary>When this attempt was sent (Unix seconds), so receivers can refuse old replays.</summary>
    public const string Timestamp = "X-Aviary-Timestamp";
}
