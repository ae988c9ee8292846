namespace Aviary.Silo.Webhooks;

/// <summary>A receiver's answer: status, the first 200 characters of its body, and how long it took.</summary>
public sealed record WebhookAttempt(int StatusCode, string Body, double LatencyMs)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}
